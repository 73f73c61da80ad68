// Row softmax over (N, C) and its backward.

import { exp1, exp4, hsum4 } from './simd';

/** y = softmax(x) along rows, rows [r0, r1). */
export function softmaxForward(x: usize, y: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * C) << 2);
    const yr = y + (<usize>(r * C) << 2);
    let mx: f32 = -Infinity;
    for (let i = 0; i < C; i++) mx = max(mx, load<f32>(xr + (<usize>i << 2)));
    const vm = f32x4.splat(mx);
    let vs = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= C; i += 4) {
      const e = exp4(f32x4.sub(v128.load(xr + (<usize>i << 2)), vm));
      v128.store(yr + (<usize>i << 2), e);
      vs = f32x4.add(vs, e);
    }
    let s = hsum4(vs);
    for (; i < C; i++) {
      const e = exp1(load<f32>(xr + (<usize>i << 2)) - mx);
      store<f32>(yr + (<usize>i << 2), e);
      s += e;
    }
    const inv: f32 = 1.0 / s;
    for (let j = 0; j < C; j++) store<f32>(yr + (<usize>j << 2), load<f32>(yr + (<usize>j << 2)) * inv);
  }
}

/** dx += y * (dy - sum(dy * y)) */
export function softmaxBackward(y: usize, dy: usize, dx: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const o = <usize>(r * C) << 2;
    let dot: f32 = 0;
    for (let i = 0; i < C; i++) dot += load<f32>(y + o + (<usize>i << 2)) * load<f32>(dy + o + (<usize>i << 2));
    for (let i = 0; i < C; i++) {
      const p = o + (<usize>i << 2);
      store<f32>(dx + p, load<f32>(dx + p) + load<f32>(y + p) * (load<f32>(dy + p) - dot));
    }
  }
}
