// Scaled-dot-product attention, one query row at a time: only a T-float score row per thread
// ever exists, never a T x T matrix per head. Forward keeps the row log-sum-exp (B, NH, T) so
// backward recomputes probabilities (flash-attention style) instead of storing them.
//
// q: rows (b, t) with stride qStride floats, head h at h*hs. k, v: stride kvStride, kv head g at g*hs.
// NH query heads share NKV kv heads (grouped-query attention when NKV < NH). out: stride oStride.
// Work is split over (b, g) pairs: every q head of a group writes the same dk/dv rows, so a group
// stays on one thread.
//
// causal != 0: query t sees keys 0..t (a decoder); 0: every key (an encoder, which reads the whole
// clip).

import { exp1, exp4, hsum4 } from './simd';

// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>i << 2)), v128.load(b + (<usize>i << 2))));
  let s = hsum4(acc);
  for (; i < n; i++) s += load<f32>(a + (<usize>i << 2)) * load<f32>(b + (<usize>i << 2));
  return s;
}

/** y += alpha * x over n floats. */
// @ts-ignore: decorator
@inline function axpyN(alpha: f32, x: usize, y: usize, n: i32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), load<f32>(y + (<usize>i << 2)) + alpha * load<f32>(x + (<usize>i << 2)));
}

/** Scaled scores of query row qr (batch item b) against keys 0..n-1 of kv head g into row; returns their maximum. */
// @ts-ignore: decorator
@inline function scoreRow(qr: usize, k: usize, b: i32, g: i32, n: i32, T: i32, hs: i32, kvStride: i32, scale: f32, row: usize): f32 {
  let mx: f32 = -Infinity;
  for (let u = 0; u < n; u++) {
    const s = dot(qr, k + (<usize>((b * T + u) * kvStride + g * hs) << 2), hs) * scale;
    store<f32>(row + (<usize>u << 2), s);
    mx = max(mx, s);
  }
  return mx;
}

/** row[u] = e^(row[u] - shift) over n floats; returns their sum. */
// @ts-ignore: decorator
@inline function expRow(row: usize, n: i32, shift: f32): f32 {
  const vshift = f32x4.splat(shift);
  let vsum = f32x4.splat(0);
  let u = 0;
  for (; u + 4 <= n; u += 4) {
    const o = row + (<usize>u << 2);
    const e = exp4(f32x4.sub(v128.load(o), vshift));
    v128.store(o, e);
    vsum = f32x4.add(vsum, e);
  }
  let sum = hsum4(vsum);
  for (; u < n; u++) {
    const o = row + (<usize>u << 2);
    const e = exp1(load<f32>(o) - shift);
    store<f32>(o, e);
    sum += e;
  }
  return sum;
}

export function attentionForward(q: usize, k: usize, v: usize, out: usize, lse: usize, T: i32, NH: i32, NKV: i32, hs: i32,
  qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t = 0; t < T; t++) {
        const n = causal ? t + 1 : T;
        const qr = q + (<usize>((b * T + t) * qStride + h * hs) << 2);
        const mx = scoreRow(qr, k, b, g, n, T, hs, kvStride, scale, scratch);
        const orow = out + (<usize>((b * T + t) * oStride + h * hs) << 2);
        memory.fill(orow, 0, <usize>hs << 2);
        const sum = expRow(scratch, n, mx);
        const inv: f32 = 1.0 / sum;
        for (let u = 0; u < n; u++) {
          axpyN(load<f32>(scratch + (<usize>u << 2)) * inv, v + (<usize>((b * T + u) * kvStride + g * hs) << 2), orow, hs);
        }
        store<f32>(lse + (<usize>((b * NH + h) * T + t) << 2), mx + Mathf.log(sum));
      }
    }
  }
}

/**
 * dq, dk, dv accumulate (+=). Same layouts as forward; dq shares q's stride, dk/dv share k/v's.
 * scratch: a T-float probability row private to the calling thread.
 */
export function attentionBackward(q: usize, k: usize, v: usize, out: usize, lse: usize, dout: usize, dq: usize, dk: usize, dv: usize,
  T: i32, NH: i32, NKV: i32, hs: i32, qStride: i32, kvStride: i32, oStride: i32, scale: f32, causal: i32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t = 0; t < T; t++) {
        const n = causal ? t + 1 : T;
        const qOff = <usize>((b * T + t) * qStride + h * hs) << 2;
        const oOff = <usize>((b * T + t) * oStride + h * hs) << 2;
        const l = load<f32>(lse + (<usize>((b * NH + h) * T + t) << 2));
        // The forward's probabilities, recomputed from the same scores and its log-sum-exp.
        scoreRow(q + qOff, k, b, g, n, T, hs, kvStride, scale, scratch);
        expRow(scratch, n, l);
        // D = dout . out equals sum_u p_u (dout . v_u), the softmax-backward centring term.
        const D = dot(dout + oOff, out + oOff, hs);
        for (let u = 0; u < n; u++) {
          const p = load<f32>(scratch + (<usize>u << 2));
          const kvOff = <usize>((b * T + u) * kvStride + g * hs) << 2;
          const dp = dot(dout + oOff, v + kvOff, hs);
          const ds = p * (dp - D) * scale;
          axpyN(ds, k + kvOff, dq + qOff, hs);
          axpyN(ds, q + qOff, dk + kvOff, hs);
          axpyN(p, dout + oOff, dv + kvOff, hs);
        }
      }
    }
  }
}
