// Packing for the GEMM driver: copies a block of A or B into the contiguous micro-panel order the
// 4x8 micro-kernel streams through, padding ragged edges with zeros so the kernel never branches.
// Quantised B (int8 rows, NF4 blocks) is dequantised here, so frozen weights never exist as fp32.

export const MR: i32 = 4;
export const NR: i32 = 8;

export const B_F32: i32 = 0;
export const B_INT8: i32 = 1;
export const B_NF4: i32 = 2;

/**
 * Pack A[ic:ic+mc, pc:pc+kc] into panels of MR rows laid out [panel][k][MR].
 * transA: A is stored (K, M) with leading dimension lda, else (M, K).
 */
export function packA(dst: usize, a: usize, lda: i32, transA: bool, ic: i32, pc: i32, mc: i32, kc: i32, M: i32): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, M - (ic + ir));
    const panel = dst + (<usize>(ir * kc) << 2);
    if (transA) {
      // Four consecutive rows of op(A) are four consecutive floats of a stored row.
      let src = a + (<usize>(pc * lda + ic + ir) << 2);
      if (rows == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(panel + (<usize>k << 4), v128.load(src));
          src += <usize>lda << 2;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let i = 0; i < MR; i++) {
            store<f32>(panel + (<usize>(k * MR + i) << 2), i < rows ? load<f32>(src + (<usize>i << 2)) : 0);
          }
          src += <usize>lda << 2;
        }
      }
    } else {
      for (let i = 0; i < MR; i++) {
        if (i < rows) {
          const src = a + (<usize>((ic + ir + i) * lda + pc) << 2);
          for (let k = 0; k < kc; k++) store<f32>(panel + (<usize>(k * MR + i) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(panel + (<usize>(k * MR + i) << 2), 0);
        }
      }
    }
  }
}

/** NF4 element `idx` of a flat weight: 4-bit code -> table value * double-quantised block absmax. */
// @ts-ignore: decorator
@inline function nf4At(q: usize, scales: usize, aux: usize, idx: i32): f32 {
  const byte = <i32>load<u8>(q + <usize>(idx >> 1));
  const code = (idx & 1) ? byte >> 4 : byte & 15;
  const block = idx >> 6;
  // aux layout: [0..15] code table, [16] mean of block absmax, [17 + g] scale of group g (256 blocks).
  const absmax = <f32>load<i8>(scales + <usize>block) * load<f32>(aux + (<usize>(17 + (block >> 8)) << 2)) + load<f32>(aux + 64);
  return load<f32>(aux + (<usize>code << 2)) * absmax;
}

/** Element (r, c) of a stored weight matrix with leading dimension ld, dequantised to f32. */
// @ts-ignore: decorator
@inline function wAt(b: usize, ld: i32, r: i32, c: i32, btype: i32, scales: usize, aux: usize): f32 {
  if (btype == B_F32) return load<f32>(b + (<usize>(r * ld + c) << 2));
  if (btype == B_INT8) return <f32>load<i8>(b + <usize>(r * ld + c)) * load<f32>(scales + (<usize>r << 2));
  return nf4At(b, scales, aux, r * ld + c);
}

/**
 * Pack B[pc:pc+kc, jc:jc+nc] into panels of NR columns laid out [panel][k][NR].
 * transB: B is stored (N, K) (a weight in (out, in) layout), else (K, N).
 */
export function packB(dst: usize, b: usize, ldb: i32, transB: bool, btype: i32, scales: usize, aux: usize,
  pc: i32, jc: i32, kc: i32, nc: i32, N: i32): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, N - (jc + jr));
    const panel = dst + (<usize>(jr * kc) << 2);
    if (btype == B_F32 && !transB && cols == NR) {
      let src = b + (<usize>(pc * ldb + jc + jr) << 2);
      for (let k = 0; k < kc; k++) {
        v128.store(panel + (<usize>k << 5), v128.load(src));
        v128.store(panel + (<usize>k << 5), v128.load(src, 16), 16);
        src += <usize>ldb << 2;
      }
    } else if (btype == B_F32 && transB) {
      // Read each stored row sequentially; the strided writes stay inside one small panel.
      for (let j = 0; j < NR; j++) {
        if (j < cols) {
          const src = b + (<usize>((jc + jr + j) * ldb + pc) << 2);
          for (let k = 0; k < kc; k++) store<f32>(panel + (<usize>(k * NR + j) << 2), load<f32>(src + (<usize>k << 2)));
        } else {
          for (let k = 0; k < kc; k++) store<f32>(panel + (<usize>(k * NR + j) << 2), 0);
        }
      }
    } else {
      for (let j = 0; j < NR; j++) {
        const col = jc + jr + j;
        for (let k = 0; k < kc; k++) {
          let v: f32 = 0;
          if (j < cols) v = transB ? wAt(b, ldb, col, pc + k, btype, scales, aux) : wAt(b, ldb, pc + k, col, btype, scales, aux);
          store<f32>(panel + (<usize>(k * NR + j) << 2), v);
        }
      }
    }
  }
}
