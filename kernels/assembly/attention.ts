// Causal scaled-dot-product attention, one query row at a time: only a T-float score row per thread
// ever exists, never a T x T matrix per head. Forward keeps the row log-sum-exp (B, NH, T) so
// backward recomputes probabilities (flash-attention style) instead of storing them.
//
// q: rows (b, t) with stride qStride floats, head h at h*hs. k, v: stride kvStride, kv head g at g*hs.
// NH query heads share NKV kv heads (grouped-query attention when NKV < NH). out: stride oStride.
// Work is split over (b, g) pairs: every q head of a group writes the same dk/dv rows, so a group
// stays on one thread.

import { exp1, hsum4 } from './simd';

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

export function attentionForward(q: usize, k: usize, v: usize, out: usize, lse: usize, T: i32, NH: i32, NKV: i32, hs: i32,
  qStride: i32, kvStride: i32, oStride: i32, scale: f32, scratch: usize, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t = 0; t < T; t++) {
        const qr = q + (<usize>((b * T + t) * qStride + h * hs) << 2);
        let mx: f32 = -Infinity;
        for (let u = 0; u <= t; u++) {
          const s = dot(qr, k + (<usize>((b * T + u) * kvStride + g * hs) << 2), hs) * scale;
          store<f32>(scratch + (<usize>u << 2), s);
          mx = max(mx, s);
        }
        let sum: f32 = 0;
        for (let u = 0; u <= t; u++) {
          const e = exp1(load<f32>(scratch + (<usize>u << 2)) - mx);
          store<f32>(scratch + (<usize>u << 2), e);
          sum += e;
        }
        const orow = out + (<usize>((b * T + t) * oStride + h * hs) << 2);
        memory.fill(orow, 0, <usize>hs << 2);
        const inv: f32 = 1.0 / sum;
        for (let u = 0; u <= t; u++) {
          axpyN(load<f32>(scratch + (<usize>u << 2)) * inv, v + (<usize>((b * T + u) * kvStride + g * hs) << 2), orow, hs);
        }
        store<f32>(lse + (<usize>((b * NH + h) * T + t) << 2), mx + Mathf.log(sum));
      }
    }
  }
}

/** dq, dk, dv accumulate (+=). Same layouts as forward; dq shares q's stride, dk/dv share k/v's. */
export function attentionBackward(q: usize, k: usize, v: usize, out: usize, lse: usize, dout: usize, dq: usize, dk: usize, dv: usize,
  T: i32, NH: i32, NKV: i32, hs: i32, qStride: i32, kvStride: i32, oStride: i32, scale: f32, w0: i32, w1: i32): void {
  const rep = NH / NKV;
  for (let w = w0; w < w1; w++) {
    const b = w / NKV;
    const g = w % NKV;
    for (let j = 0; j < rep; j++) {
      const h = g * rep + j;
      for (let t = 0; t < T; t++) {
        const qOff = <usize>((b * T + t) * qStride + h * hs) << 2;
        const oOff = <usize>((b * T + t) * oStride + h * hs) << 2;
        const l = load<f32>(lse + (<usize>((b * NH + h) * T + t) << 2));
        // D = dout . out equals sum_u p_u (dout . v_u), the softmax-backward centring term.
        const D = dot(dout + oOff, out + oOff, hs);
        for (let u = 0; u <= t; u++) {
          const kvOff = <usize>((b * T + u) * kvStride + g * hs) << 2;
          const p = exp1(dot(q + qOff, k + kvOff, hs) * scale - l);
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
