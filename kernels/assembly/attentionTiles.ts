// Register-tiled products for the attention kernels (attention.ts): a 4 x 8 tile of the result
// stays in registers for the whole reduction, one splatted float of the left operand times a row of
// the right per step, and `put` finishes it into its destination in one of four modes. packT lays a
// block of rows out transposed so a step reads 8 queries' floats at once.

import { fma4 } from './simd';

/** How a finished tile reaches its destination. */
export const STORE: i32 = 0; // c = acc
export const ADD: i32 = 1; // c += acc
export const ROW_SCALE: i32 = 2; // c = acc * f[r]
export const TO_DS: i32 = 3; // c = c * (acc - f[col]) * s: dS from P and dP

// @ts-ignore: decorator
@inline export function put(c: usize, lo: v128, hi: v128, r: i32, wide: bool, mode: i32, f: usize, s: f32): void {
  if (mode == STORE) {
    v128.store(c, lo);
    if (wide) v128.store(c, hi, 16);
  } else if (mode == ADD) {
    v128.store(c, f32x4.add(v128.load(c), lo));
    if (wide) v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
  } else if (mode == ROW_SCALE) {
    const x = v128.load32_splat(f + (<usize>r << 2));
    v128.store(c, f32x4.mul(lo, x));
    if (wide) v128.store(c, f32x4.mul(hi, x), 16);
  } else {
    const vs = f32x4.splat(s);
    v128.store(c, f32x4.mul(f32x4.mul(v128.load(c), f32x4.sub(lo, v128.load(f))), vs));
    if (wide) v128.store(c, f32x4.mul(f32x4.mul(v128.load(c, 16), f32x4.sub(hi, v128.load(f, 16))), vs), 16);
  }
}

/**
 * c[r][0..8) (wide) or c[r][0..4) gets sum over k < n of A(r, k) b[k][..], for r < rows (rows past it
 * are computed from whatever A holds there and dropped). A(r, k) sits at a + k*aK + 4r when packed
 * (four consecutive floats), else at a + k*aK + ar[r] with ar = (0, ar1, ar2, ar3). b row k at b + k*bK.
 */
// @ts-ignore: decorator
@inline export function tile(a: usize, ar1: usize, ar2: usize, ar3: usize, packed: bool, aK: usize, b: usize, bK: usize, n: i32,
  c: usize, cRow: usize, rows: i32, wide: bool, mode: i32, f: usize, s: f32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
  let pa = a, pb = b;
  for (let k = 0; k < n; k++) {
    const lo = v128.load(pb);
    const hi = wide ? v128.load(pb, 16) : lo;
    let e = v128.load32_splat(pa);
    x0 = fma4(e, lo, x0);
    if (wide) y0 = fma4(e, hi, y0);
    e = packed ? v128.load32_splat(pa, 4) : v128.load32_splat(pa + ar1);
    x1 = fma4(e, lo, x1);
    if (wide) y1 = fma4(e, hi, y1);
    e = packed ? v128.load32_splat(pa, 8) : v128.load32_splat(pa + ar2);
    x2 = fma4(e, lo, x2);
    if (wide) y2 = fma4(e, hi, y2);
    e = packed ? v128.load32_splat(pa, 12) : v128.load32_splat(pa + ar3);
    x3 = fma4(e, lo, x3);
    if (wide) y3 = fma4(e, hi, y3);
    pa += aK;
    pb += bK;
  }
  put(c, x0, y0, 0, wide, mode, f, s);
  if (rows > 1) put(c + cRow, x1, y1, 1, wide, mode, f, s);
  if (rows > 2) put(c + cRow * 2, x2, y2, 2, wide, mode, f, s);
  if (rows > 3) put(c + cRow * 3, x3, y3, 3, wide, mode, f, s);
}

/**
 * The product over all hs floats of a head (b rows and c rows hold hs floats): 8-float tiles, one
 * 4-float tile, then the last hs % 4 columns one float at a time. mode ADD or ROW_SCALE.
 */
// @ts-ignore: decorator
@inline export function headTiles(a: usize, ar1: usize, ar2: usize, ar3: usize, packed: bool, aK: usize, b: usize, bK: usize, n: i32,
  c: usize, cRow: usize, rows: i32, hs: i32, mode: i32, f: usize): void {
  let x = 0;
  for (; x + 8 <= hs; x += 8) tile(a, ar1, ar2, ar3, packed, aK, b + (<usize>x << 2), bK, n, c + (<usize>x << 2), cRow, rows, true, mode, f, 0);
  if (x + 4 <= hs) {
    tile(a, ar1, ar2, ar3, packed, aK, b + (<usize>x << 2), bK, n, c + (<usize>x << 2), cRow, rows, false, mode, f, 0);
    x += 4;
  }
  for (; x < hs; x++) {
    for (let r = 0; r < rows; r++) {
      const ar: usize = packed ? <usize>r << 2 : r == 0 ? 0 : r == 1 ? ar1 : r == 2 ? ar2 : ar3;
      let acc: f32 = 0;
      for (let k = 0; k < n; k++) acc += load<f32>(a + <usize>k * aK + ar) * load<f32>(b + <usize>k * bK + (<usize>x << 2));
      const cr = c + <usize>r * cRow + (<usize>x << 2);
      store<f32>(cr, mode == ADD ? load<f32>(cr) + acc : acc * load<f32>(f + (<usize>r << 2)));
    }
  }
}

/**
 * S^T (mode STORE) or dS^T in place of P^T (mode TO_DS) for the block: 4 keys (rows of x: k or v,
 * xRow bytes apart; keys past nk repeat key nk - 1) against 8 queries of yT (the block's q^T or
 * dout^T, rows of BQ floats) at a time, over the head. Causal: tiles of queries that see none of
 * the 4 keys are skipped.
 */
// @ts-ignore: decorator
@inline export function keyTiles(x: usize, xRow: usize, nk: i32, yT: usize, colB: usize, hs: i32, t0: i32, m: i32, causal: i32,
  pt: usize, mode: i32, f: usize, s: f32): void {
  const last = nk - 1;
  for (let u = 0; u < nk; u += 4) {
    const a = x + <usize>u * xRow;
    const ar1 = <usize>(min(u + 1, last) - u) * xRow;
    const ar2 = <usize>(min(u + 2, last) - u) * xRow;
    const ar3 = <usize>(min(u + 3, last) - u) * xRow;
    const c = pt + <usize>u * colB;
    for (let i = causal ? max(0, u - t0) & ~7 : 0; i < m; i += 8) {
      tile(a, ar1, ar2, ar3, false, 4, yT + (<usize>i << 2), colB, hs, c + (<usize>i << 2), colB, 4, true, mode, f + (<usize>i << 2), s);
    }
  }
}

/** All-ones in lanes below n (n <= 0: none, n >= 4: all). */
// @ts-ignore: decorator
@inline export function lanesBelow(n: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(n));
}

/**
 * yT[d][i] = y row i [d] * s for i < m, 0 for m <= i < BQ (rows of y yRow bytes apart, hs floats):
 * 4 x 4 blocks transposed in registers, the last hs % 4 floats one at a time.
 */
// @ts-ignore: decorator
@inline export function packT(y: usize, yRow: usize, m: i32, hs: i32, s: f32, yT: usize, colB: usize, BQ: i32): void {
  const vs = f32x4.splat(s);
  const hs4 = hs & ~3;
  for (let i = 0; i < BQ; i += 4) {
    // Rows past m repeat row m - 1 and are masked off.
    const keep = lanesBelow(m - i);
    const p0 = y + <usize>min(i, m - 1) * yRow;
    const p1 = y + <usize>min(i + 1, m - 1) * yRow;
    const p2 = y + <usize>min(i + 2, m - 1) * yRow;
    const p3 = y + <usize>min(i + 3, m - 1) * yRow;
    const c = yT + (<usize>i << 2);
    for (let d = 0; d < hs4; d += 4) {
      const o = <usize>d << 2;
      const a0 = v128.load(p0 + o), a1 = v128.load(p1 + o), a2 = v128.load(p2 + o), a3 = v128.load(p3 + o);
      const t0 = f32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = f32x4.shuffle(a0, a1, 2, 6, 3, 7);
      const t2 = f32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = f32x4.shuffle(a2, a3, 2, 6, 3, 7);
      const r = c + <usize>d * colB;
      v128.store(r, v128.and(f32x4.mul(f32x4.shuffle(t0, t2, 0, 1, 4, 5), vs), keep));
      v128.store(r + colB, v128.and(f32x4.mul(f32x4.shuffle(t0, t2, 2, 3, 6, 7), vs), keep));
      v128.store(r + colB * 2, v128.and(f32x4.mul(f32x4.shuffle(t1, t3, 0, 1, 4, 5), vs), keep));
      v128.store(r + colB * 3, v128.and(f32x4.mul(f32x4.shuffle(t1, t3, 2, 3, 6, 7), vs), keep));
    }
    for (let d = hs4; d < hs; d++) {
      const o = <usize>d << 2;
      const col = f32x4(load<f32>(p0 + o), load<f32>(p1 + o), load<f32>(p2 + o), load<f32>(p3 + o));
      v128.store(c + <usize>d * colB, v128.and(f32x4.mul(col, vs), keep));
    }
  }
}
