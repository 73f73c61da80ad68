// Scaled-dot-product attention over blocks of query rows. For a block of up to QB_MAX queries of one
// head the thread's scratch holds the block's score matrix (rows of Tp = T rounded up to 4 floats),
// never a T x T matrix per head. Forward keeps the row log-sum-exp (B, NH, T) so backward recomputes
// probabilities (flash-attention style) instead of storing them.
//
// Every product is a small register-tiled matrix product over the block:
//   scores S = q k^T, dP = dout v^T: 2 query rows x 4 keys per tile, 4-float chunks of the head
//     summed into four lane accumulators each, then one transpose-reduce to 4 scores;
//   out = P v, dq = dS k (query-major) and dv = P^T dout, dk = dS^T q (key-major): 4 rows x 8 floats
//     of the head per tile held in registers over the whole reduction, so an output row is read and
//     written once per block, not once per (query, key) pair.
// Backward overwrites the block's probabilities with dS once dv has used them.
//
// q: rows (b, t) with stride qStride floats, head h at h*hs. k, v: stride kvStride, kv head g at g*hs.
// NH query heads share NKV kv heads (grouped-query attention when NKV < NH). out: stride oStride.
// Work is split over (b, g) pairs: every q head of a group writes the same dk/dv rows, so a group
// stays on one thread.
//
// causal != 0: query t sees keys 0..t (a decoder); 0: every key (an encoder, which reads the whole
// clip).

import { exp4, fma4 } from './simd';

/** Floats of per-thread scratch the caller reserves (runtime.ts): one block row of Tp floats at least, so T <= 65536. */
const SCRATCH_FLOATS: i32 = 65536;
/** Query rows per block: enough that dk/dv rows are touched rarely, small enough to stay in cache. */
const QB_MAX: i32 = 64;

/** Rows per block for sequence length T: a multiple of 4 when it can be. */
// @ts-ignore: decorator
@inline function blockRows(Tp: i32): i32 {
  const qb = min(QB_MAX, SCRATCH_FLOATS / Tp);
  return qb >= 4 ? qb & ~3 : max(qb, 1);
}

/** [sum a, sum b, sum c, sum d] of four 4-lane accumulators. */
// @ts-ignore: decorator
@inline function reduce4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(f32x4.shuffle(a, b, 0, 4, 1, 5), f32x4.shuffle(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(f32x4.shuffle(c, d, 0, 4, 1, 5), f32x4.shuffle(c, d, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(ab, cd, 0, 1, 4, 5), f32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

/** Four lanes of b0..b3 at float d. */
// @ts-ignore: decorator
@inline function gather4(b0: usize, b1: usize, b2: usize, b3: usize, o: usize): v128 {
  return f32x4(load<f32>(b0 + o), load<f32>(b1 + o), load<f32>(b2 + o), load<f32>(b3 + o));
}

/**
 * Dots of rows a0, a1 with rows b0..b3 over n floats, as two vectors of 4 (one per a row), written to
 * s0 and s1 (s1 skipped unless two). dS = false: s = dot * scale. dS = true: s holds p, and becomes
 * p * (dot - c) * scale (c0, c1 per a row).
 */
// @ts-ignore: decorator
@inline function dots2x4(a0: usize, a1: usize, b0: usize, b1: usize, b2: usize, b3: usize, n: i32,
  s0: usize, s1: usize, two: bool, dS: bool, c0: f32, c1: f32, scale: f32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
  const n4 = <usize>(n & ~3) << 2;
  for (let o: usize = 0; o < n4; o += 16) {
    const p = v128.load(a0 + o), r = v128.load(a1 + o);
    let kv = v128.load(b0 + o); x0 = fma4(p, kv, x0); y0 = fma4(r, kv, y0);
    kv = v128.load(b1 + o); x1 = fma4(p, kv, x1); y1 = fma4(r, kv, y1);
    kv = v128.load(b2 + o); x2 = fma4(p, kv, x2); y2 = fma4(r, kv, y2);
    kv = v128.load(b3 + o); x3 = fma4(p, kv, x3); y3 = fma4(r, kv, y3);
  }
  let d0 = reduce4(x0, x1, x2, x3);
  let d1 = reduce4(y0, y1, y2, y3);
  for (let o = n4; o < <usize>n << 2; o += 4) {
    const kv = gather4(b0, b1, b2, b3, o);
    d0 = fma4(v128.load32_splat(a0 + o), kv, d0);
    d1 = fma4(v128.load32_splat(a1 + o), kv, d1);
  }
  const vs = f32x4.splat(scale);
  if (dS) {
    v128.store(s0, f32x4.mul(f32x4.mul(v128.load(s0), f32x4.sub(d0, f32x4.splat(c0))), vs));
    if (two) v128.store(s1, f32x4.mul(f32x4.mul(v128.load(s1), f32x4.sub(d1, f32x4.splat(c1))), vs));
  } else {
    v128.store(s0, f32x4.mul(d0, vs));
    if (two) v128.store(s1, f32x4.mul(d1, vs));
  }
}

/**
 * Block scores (dS = false) or dS in place of the probabilities (dS = true) for m query rows:
 * row i of s (stride Tp floats) against keys 0..n_i-1, n_i = t0 + i + 1 when causal, else T.
 * a: the block's first row of q (or dout), aStride bytes apart; b: key 0 of k (or v), bStride apart.
 * Scores past n_i up to the next multiple of 4 are computed from repeated keys and left for the mask.
 */
// @ts-ignore: decorator
@inline function blockDots(a: usize, aStride: usize, b: usize, bStride: usize, s: usize, Tp: i32, m: i32, t0: i32, T: i32,
  hs: i32, causal: i32, dS: bool, out: usize, oStride: usize, scale: f32): void {
  const rowBytes = <usize>Tp << 2;
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const a0 = a + <usize>i * aStride;
    const a1 = two ? a0 + aStride : a0;
    const n = causal ? t0 + i + (two ? 2 : 1) : T;
    const last = n - 1;
    // The softmax-backward centring term D = dout . out equals sum_u p_u (dout . v_u).
    let c0: f32 = 0, c1: f32 = 0;
    if (dS) {
      c0 = rowDot(a0, out + <usize>i * oStride, hs);
      c1 = rowDot(a1, out + <usize>(two ? i + 1 : i) * oStride, hs);
    }
    const s0 = s + <usize>i * rowBytes;
    const s1 = s0 + rowBytes;
    for (let u = 0; u < n; u += 4) {
      const b0 = b + <usize>u * bStride;
      const b1 = b + <usize>min(u + 1, last) * bStride;
      const b2 = b + <usize>min(u + 2, last) * bStride;
      const b3 = b + <usize>min(u + 3, last) * bStride;
      const o = <usize>u << 2;
      dots2x4(a0, a1, b0, b1, b2, b3, hs, s0 + o, s1 + o, two, dS, c0, c1, scale);
    }
  }
}

/**
 * a . b over n floats, summed in the same order as a lane of dots2x4, so that D and dP agree exactly
 * where they should (a single visible key: out = v, and dS must come out 0).
 */
// @ts-ignore: decorator
@inline function rowDot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  const n4 = <usize>(n & ~3) << 2;
  for (let o: usize = 0; o < n4; o += 16) acc = fma4(v128.load(a + o), v128.load(b + o), acc);
  let d = f32x4.add(acc, f32x4.shuffle(acc, acc, 2, 3, 0, 1));
  d = f32x4.add(d, f32x4.shuffle(d, d, 1, 0, 3, 2));
  for (let o = n4; o < <usize>n << 2; o += 4) d = fma4(v128.load32_splat(a + o), v128.load32_splat(b + o), d);
  return f32x4.extract_lane(d, 0);
}

/** All-ones in lanes below r (0..4), zeros above. */
// @ts-ignore: decorator
@inline function laneMask(r: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(r));
}

/**
 * Row of n scores into e^(s - shift), zeros after them up to nEnd (a multiple of 4). normalise: the
 * row's own softmax instead (shift its maximum, then divided by the sum); returns its log-sum-exp.
 */
// @ts-ignore: decorator
@inline function softmaxRow(row: usize, n: i32, nEnd: i32, shift: f32, normalise: bool): f32 {
  const n4 = n & ~3;
  const tail = n - n4;
  const mask = laneMask(tail);
  const end = <usize>(n4 + (tail ? 4 : 0)) << 2;
  if (normalise) {
    let vmax = f32x4.splat(-Infinity);
    for (let o: usize = 0; o < <usize>n4 << 2; o += 16) vmax = f32x4.pmax(vmax, v128.load(row + o));
    if (tail) vmax = f32x4.pmax(vmax, v128.bitselect(v128.load(row + (<usize>n4 << 2)), f32x4.splat(-Infinity), mask));
    shift = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
  }
  const vshift = f32x4.splat(shift);
  let vsum = f32x4.splat(0);
  let o: usize = 0;
  // Four vectors per step: the engine materialises exp's constants once per loop body, not per exp.
  for (; o + 64 <= <usize>n4 << 2; o += 64) {
    const e0 = exp4(f32x4.sub(v128.load(row + o), vshift));
    const e1 = exp4(f32x4.sub(v128.load(row + o, 16), vshift));
    const e2 = exp4(f32x4.sub(v128.load(row + o, 32), vshift));
    const e3 = exp4(f32x4.sub(v128.load(row + o, 48), vshift));
    v128.store(row + o, e0);
    v128.store(row + o, e1, 16);
    v128.store(row + o, e2, 32);
    v128.store(row + o, e3, 48);
    vsum = f32x4.add(vsum, f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)));
  }
  for (; o < <usize>n4 << 2; o += 16) {
    const e = exp4(f32x4.sub(v128.load(row + o), vshift));
    v128.store(row + o, e);
    vsum = f32x4.add(vsum, e);
  }
  if (tail) {
    const o = <usize>n4 << 2;
    const e = v128.and(exp4(f32x4.sub(v128.load(row + o), vshift)), mask);
    v128.store(row + o, e);
    vsum = f32x4.add(vsum, e);
  }
  memory.fill(row + end, 0, (<usize>nEnd << 2) - end);
  if (!normalise) return 0;
  const sum = f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1) + f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3);
  const inv = f32x4.splat(1.0 / sum);
  for (let o: usize = 0; o < end; o += 16) v128.store(row + o, f32x4.mul(v128.load(row + o), inv));
  return shift + Mathf.log(sum);
}

/**
 * c[r][0..8 or 0..4) (+)= sum over k in [k0, k1) of A(r, k) b[k][..] for rows r < rows; rows past it
 * repeat row 0 and are not written. A(r, k) at a + r*aRow + k*aK; b row k at b + k*bK; c row r at c + r*cRow.
 */
// @ts-ignore: decorator
@inline function tile4(a: usize, aRow: usize, aK: usize, b: usize, bK: usize, k0: i32, k1: i32,
  c: usize, cRow: usize, rows: i32, wide: bool, add: bool): void {
  const r1 = rows > 1 ? aRow : 0, r2 = rows > 2 ? aRow * 2 : 0, r3 = rows > 3 ? aRow * 3 : 0;
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
  let pa = a + <usize>k0 * aK, pb = b + <usize>k0 * bK;
  for (let k = k0; k < k1; k++) {
    const lo = v128.load(pb);
    const hi = wide ? v128.load(pb, 16) : lo;
    let s = v128.load32_splat(pa); x0 = fma4(s, lo, x0); if (wide) y0 = fma4(s, hi, y0);
    s = v128.load32_splat(pa + r1); x1 = fma4(s, lo, x1); if (wide) y1 = fma4(s, hi, y1);
    s = v128.load32_splat(pa + r2); x2 = fma4(s, lo, x2); if (wide) y2 = fma4(s, hi, y2);
    s = v128.load32_splat(pa + r3); x3 = fma4(s, lo, x3); if (wide) y3 = fma4(s, hi, y3);
    pa += aK;
    pb += bK;
  }
  put(c, x0, y0, wide, add);
  if (rows > 1) put(c + cRow, x1, y1, wide, add);
  if (rows > 2) put(c + cRow * 2, x2, y2, wide, add);
  if (rows > 3) put(c + cRow * 3, x3, y3, wide, add);
}

// @ts-ignore: decorator
@inline function put(c: usize, lo: v128, hi: v128, wide: bool, add: bool): void {
  if (add) {
    v128.store(c, f32x4.add(v128.load(c), lo));
    if (wide) v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
  } else {
    v128.store(c, lo);
    if (wide) v128.store(c, hi, 16);
  }
}

/**
 * The product above over all hs columns of c and b: 8-float tiles, a 4-float tile, then the last
 * hs % 4 columns one at a time.
 */
// @ts-ignore: decorator
@inline function rowsTimes(a: usize, aRow: usize, aK: usize, b: usize, bK: usize, k0: i32, k1: i32,
  c: usize, cRow: usize, rows: i32, hs: i32, add: bool): void {
  let x = 0;
  for (; x + 8 <= hs; x += 8) tile4(a, aRow, aK, b + (<usize>x << 2), bK, k0, k1, c + (<usize>x << 2), cRow, rows, true, add);
  if (x + 4 <= hs) {
    tile4(a, aRow, aK, b + (<usize>x << 2), bK, k0, k1, c + (<usize>x << 2), cRow, rows, false, add);
    x += 4;
  }
  for (; x < hs; x++) {
    const bx = b + (<usize>x << 2), cx = c + (<usize>x << 2);
    for (let r = 0; r < rows; r++) {
      let s: f32 = 0;
      for (let k = k0; k < k1; k++) s += load<f32>(a + <usize>r * aRow + <usize>k * aK) * load<f32>(bx + <usize>k * bK);
      const cr = cx + <usize>r * cRow;
      store<f32>(cr, add ? load<f32>(cr) + s : s);
    }
  }
}

export function attentionForward(q: usize, k: usize, v: usize, out: usize, lse: usize, T: i32, NH: i32, NKV: i32, hs: i32,
  qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  const Tp = (T + 3) & ~3;
  const QB = blockRows(Tp);
  const rowBytes = <usize>Tp << 2;
  const qRow = <usize>qStride << 2, kvRow = <usize>kvStride << 2, oRow = <usize>oStride << 2;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    const kb = k + <usize>(b * T * kvStride + g * hs) * 4;
    const vb = v + <usize>(b * T * kvStride + g * hs) * 4;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t0 = 0; t0 < T; t0 += QB) {
        const m = min(QB, T - t0);
        const nk = causal ? t0 + m : T;
        const nEnd = (nk + 3) & ~3;
        const qb = q + <usize>((b * T + t0) * qStride + h * hs) * 4;
        const ob = out + <usize>((b * T + t0) * oStride + h * hs) * 4;
        blockDots(qb, qRow, kb, kvRow, scratch, Tp, m, t0, T, hs, causal, false, 0, 0, scale);
        const lrow = lse + <usize>((b * NH + h) * T + t0) * 4;
        for (let i = 0; i < m; i++) {
          const l = softmaxRow(scratch + <usize>i * rowBytes, causal ? t0 + i + 1 : T, nEnd, 0, true);
          store<f32>(lrow + (<usize>i << 2), l);
        }
        // out = P v, 4 query rows at a time over the keys the last of them sees.
        for (let i = 0; i < m; i += 4) {
          const rows = min(4, m - i);
          rowsTimes(scratch + <usize>i * rowBytes, rowBytes, 4, vb, kvRow, 0, causal ? t0 + i + rows : T,
            ob + <usize>i * oRow, oRow, rows, hs, false);
        }
      }
    }
  }
}

/**
 * dq, dk, dv accumulate (+=). Same layouts as forward; dq shares q's stride, dk/dv share k/v's.
 * scratch: SCRATCH_FLOATS floats private to the calling thread.
 */
export function attentionBackward(q: usize, k: usize, v: usize, out: usize, lse: usize, dout: usize, dq: usize, dk: usize, dv: usize,
  T: i32, NH: i32, NKV: i32, hs: i32, qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  const Tp = (T + 3) & ~3;
  const QB = blockRows(Tp);
  const rowBytes = <usize>Tp << 2;
  const qRow = <usize>qStride << 2, kvRow = <usize>kvStride << 2, oRow = <usize>oStride << 2;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    const kvOff = <usize>(b * T * kvStride + g * hs) * 4;
    const kb = k + kvOff, vb = v + kvOff, dkb = dk + kvOff, dvb = dv + kvOff;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t0 = 0; t0 < T; t0 += QB) {
        const m = min(QB, T - t0);
        const nk = causal ? t0 + m : T;
        const nEnd = (nk + 3) & ~3;
        const qOff = <usize>((b * T + t0) * qStride + h * hs) * 4;
        const oOff = <usize>((b * T + t0) * oStride + h * hs) * 4;
        const qb = q + qOff, dqb = dq + qOff, ob = out + oOff, dob = dout + oOff;
        // The forward's probabilities, recomputed from the same scores and its log-sum-exp.
        blockDots(qb, qRow, kb, kvRow, scratch, Tp, m, t0, T, hs, causal, false, 0, 0, scale);
        const lrow = lse + <usize>((b * NH + h) * T + t0) * 4;
        for (let i = 0; i < m; i++) {
          softmaxRow(scratch + <usize>i * rowBytes, causal ? t0 + i + 1 : T, nEnd, load<f32>(lrow + (<usize>i << 2)), false);
        }
        // dv[u] += sum_i P[i][u] dout_i, 4 keys at a time over the queries that see them.
        for (let u = 0; u < nk; u += 4) {
          const i0 = causal ? max(0, u - t0) : 0;
          rowsTimes(scratch + (<usize>u << 2), 4, rowBytes, dob, oRow, i0, m, dvb + <usize>u * kvRow, kvRow, min(4, nk - u), hs, true);
        }
        // P becomes dS = P (dP - D) scale, dP = dout v^T.
        blockDots(dob, oRow, vb, kvRow, scratch, Tp, m, t0, T, hs, causal, true, ob, oRow, scale);
        // dq_i += sum_u dS[i][u] k_u; dk[u] += sum_i dS[i][u] q_i.
        for (let i = 0; i < m; i += 4) {
          const rows = min(4, m - i);
          rowsTimes(scratch + <usize>i * rowBytes, rowBytes, 4, kb, kvRow, 0, causal ? t0 + i + rows : T,
            dqb + <usize>i * qRow, qRow, rows, hs, true);
        }
        for (let u = 0; u < nk; u += 4) {
          const i0 = causal ? max(0, u - t0) : 0;
          rowsTimes(scratch + (<usize>u << 2), 4, rowBytes, qb, qRow, i0, m, dkb + <usize>u * kvRow, kvRow, min(4, nk - u), hs, true);
        }
      }
    }
  }
}
