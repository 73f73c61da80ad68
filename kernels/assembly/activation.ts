// Activations, forward next to backward. Backward kernels accumulate into dx (dx += ...), the
// autograd convention, so a tensor used twice sums its gradients without extra buffers.

import { exp4, sigmoid4, tanh4 } from './simd';

const GELU_S: f32 = 0.7978845608028654; // sqrt(2 / pi)
const GELU_C: f32 = 0.044715;

// @ts-ignore: decorator
@inline function geluFwd4(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const t = tanh4(f32x4.mul(f32x4.splat(GELU_S), f32x4.add(x, f32x4.mul(f32x4.splat(GELU_C), x3))));
  return f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.add(f32x4.splat(1.0), t));
}

// @ts-ignore: decorator
@inline function geluGrad4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const t = tanh4(f32x4.mul(f32x4.splat(GELU_S), f32x4.add(x, f32x4.mul(f32x4.splat(GELU_C), f32x4.mul(x2, x)))));
  const sech2 = f32x4.sub(f32x4.splat(1.0), f32x4.mul(t, t));
  const du = f32x4.mul(f32x4.splat(GELU_S), f32x4.add(f32x4.splat(1.0), f32x4.mul(f32x4.splat(3.0 * GELU_C), x2)));
  return f32x4.add(f32x4.mul(f32x4.splat(0.5), f32x4.add(f32x4.splat(1.0), t)), f32x4.mul(f32x4.mul(f32x4.splat(0.5), x), f32x4.mul(sech2, du)));
}

// @ts-ignore: decorator
@inline function siluFwd4(x: v128): v128 {
  return f32x4.mul(x, sigmoid4(x));
}

// @ts-ignore: decorator
@inline function siluGrad4(x: v128): v128 {
  const s = sigmoid4(x);
  return f32x4.mul(s, f32x4.add(f32x4.splat(1.0), f32x4.mul(x, f32x4.sub(f32x4.splat(1.0), s))));
}

/** Tails reuse the vector formula on a splat so every element sees identical arithmetic. */
// @ts-ignore: decorator
@inline function lane0(v: v128): f32 {
  return f32x4.extract_lane(v, 0);
}

/** y = gelu_tanh(x) (GPT-2's approximation). */
export function geluForward(x: usize, y: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(y + (<usize>i << 2), geluFwd4(v128.load(x + (<usize>i << 2))));
  for (; i < i1; i++) store<f32>(y + (<usize>i << 2), lane0(geluFwd4(f32x4.splat(load<f32>(x + (<usize>i << 2))))));
}

/** dx += dy * gelu'(x) */
export function geluBackward(x: usize, dy: usize, dx: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), geluGrad4(v128.load(x + o)))));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * lane0(geluGrad4(f32x4.splat(load<f32>(x + o)))));
  }
}

/** y = x * sigmoid(x) */
export function siluForward(x: usize, y: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) v128.store(y + (<usize>i << 2), siluFwd4(v128.load(x + (<usize>i << 2))));
  for (; i < i1; i++) store<f32>(y + (<usize>i << 2), lane0(siluFwd4(f32x4.splat(load<f32>(x + (<usize>i << 2))))));
}

/** dx += dy * silu'(x) */
export function siluBackward(x: usize, dy: usize, dx: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), siluGrad4(v128.load(x + o)))));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * lane0(siluGrad4(f32x4.splat(load<f32>(x + o)))));
  }
}

/** y = silu(gate) * up */
export function swigluForward(gate: usize, up: usize, y: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(siluFwd4(v128.load(gate + o)), v128.load(up + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, lane0(siluFwd4(f32x4.splat(load<f32>(gate + o)))) * load<f32>(up + o));
  }
}

/** dgate += dy * up * silu'(gate); dup += dy * silu(gate) */
export function swigluBackward(gate: usize, up: usize, dy: usize, dgate: usize, dup: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    const g = v128.load(gate + o);
    const d = v128.load(dy + o);
    v128.store(dgate + o, f32x4.add(v128.load(dgate + o), f32x4.mul(f32x4.mul(d, v128.load(up + o)), siluGrad4(g))));
    v128.store(dup + o, f32x4.add(v128.load(dup + o), f32x4.mul(d, siluFwd4(g))));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    const gv = f32x4.splat(load<f32>(gate + o));
    const d = load<f32>(dy + o);
    store<f32>(dgate + o, load<f32>(dgate + o) + d * load<f32>(up + o) * lane0(siluGrad4(gv)));
    store<f32>(dup + o, load<f32>(dup + o) + d * lane0(siluFwd4(gv)));
  }
}

/** y = e^x */
export function expForward(x: usize, y: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) store<f32>(y + (<usize>i << 2), lane0(exp4(f32x4.splat(load<f32>(x + (<usize>i << 2))))));
}
