// C[m0:m1, n0:n1] (+)= op(A) . op(B): the one matmul all three training layouts go through
// (A.B, A.B^T for forward, A^T.B for weight gradients). BLIS-style blocking around a 4x8 register
// micro-kernel: 8 accumulators + 2 B vectors + 1 broadcast fit V8's 15 usable SIMD registers (6x8 spills).

import { fma4 } from './simd';
import { MR, NR, packA, packB } from './pack';

const KC: i32 = 256; // depth of one packed block: a 4xKC A panel (4 KiB) and 8xKC B panel (8 KiB) sit in L1
const MC: i32 = 128; // rows of packed A per block (128 KiB, L2)
const NC: i32 = 512; // columns of packed B per block (512 KiB, L2)

export const GEMM_TRANS_A: i32 = 1;
export const GEMM_TRANS_B: i32 = 2;
export const GEMM_ACCUMULATE: i32 = 4;

/** Bytes of scratch one thread needs for gemm: packed A block, packed B block and an edge tile. */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4;
}

/** 4x8 tile: c[0:4, 0:8] (+)= pa[k][4] . pb[k][8] over kc. */
// @ts-ignore: decorator
@inline function micro(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  let c0a = f32x4.splat(0), c0b = f32x4.splat(0), c1a = f32x4.splat(0), c1b = f32x4.splat(0);
  let c2a = f32x4.splat(0), c2b = f32x4.splat(0), c3a = f32x4.splat(0), c3b = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c0a = fma4(a, b0, c0a); c0b = fma4(a, b1, c0b);
    a = v128.load32_splat(pa, 4);
    c1a = fma4(a, b0, c1a); c1b = fma4(a, b1, c1b);
    a = v128.load32_splat(pa, 8);
    c2a = fma4(a, b0, c2a); c2b = fma4(a, b1, c2b);
    a = v128.load32_splat(pa, 12);
    c3a = fma4(a, b0, c3a); c3b = fma4(a, b1, c3b);
    pa += 16;
    pb += 32;
  }
  const row = <usize>ldc << 2;
  if (acc) {
    c0a = f32x4.add(c0a, v128.load(c)); c0b = f32x4.add(c0b, v128.load(c, 16));
    c1a = f32x4.add(c1a, v128.load(c + row)); c1b = f32x4.add(c1b, v128.load(c + row, 16));
    c2a = f32x4.add(c2a, v128.load(c + 2 * row)); c2b = f32x4.add(c2b, v128.load(c + 2 * row, 16));
    c3a = f32x4.add(c3a, v128.load(c + 3 * row)); c3b = f32x4.add(c3b, v128.load(c + 3 * row, 16));
  }
  v128.store(c, c0a); v128.store(c, c0b, 16);
  v128.store(c + row, c1a); v128.store(c + row, c1b, 16);
  v128.store(c + 2 * row, c2a); v128.store(c + 2 * row, c2b, 16);
  v128.store(c + 3 * row, c3a); v128.store(c + 3 * row, c3b, 16);
}

/**
 * flags: GEMM_TRANS_A (A stored (K, M)), GEMM_TRANS_B (B stored (N, K)), GEMM_ACCUMULATE (C += instead of =).
 * btype: 0 f32, 1 int8 with a f32 scale per stored row, 2 NF4 (see pack.ts) - quantised B is read-only.
 * scratch: gemmScratchBytes() private to the calling thread.
 */
export function gemm(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, lda: i32, ldb: i32, ldc: i32,
  flags: i32, btype: i32, bScales: usize, bAux: usize, scratch: usize, m0: i32, m1: i32, n0: i32, n1: i32): void {
  const transA = (flags & GEMM_TRANS_A) != 0;
  const transB = (flags & GEMM_TRANS_B) != 0;
  const accumulate = (flags & GEMM_ACCUMULATE) != 0;
  const pa = scratch;
  const pb = scratch + (<usize>(MC * KC) << 2);
  const tile = pb + (<usize>(KC * NC) << 2);
  if (K == 0) {
    if (!accumulate) for (let i = m0; i < m1; i++) memory.fill(c + (<usize>(i * ldc + n0) << 2), 0, <usize>(n1 - n0) << 2);
    return;
  }
  for (let jc = n0; jc < n1; jc += NC) {
    const nc = min(NC, n1 - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const acc = accumulate || pc > 0;
      packB(pb, b, ldb, transB, btype, bScales, bAux, pc, jc, kc, nc, n1);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = min(MC, m1 - ic);
        packA(pa, a, lda, transA, ic, pc, mc, kc, m1);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const pbp = pb + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pap = pa + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>((ic + ir) * ldc + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              micro(kc, pap, pbp, cp, ldc, acc);
            } else {
              // Ragged edge: compute the full padded tile privately, then copy the valid part.
              micro(kc, pap, pbp, tile, NR, false);
              for (let i = 0; i < rows; i++) {
                for (let j = 0; j < cols; j++) {
                  const dst = cp + (<usize>(i * ldc + j) << 2);
                  const v = load<f32>(tile + (<usize>(i * NR + j) << 2));
                  store<f32>(dst, acc ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
    }
  }
}
