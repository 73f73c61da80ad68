// LayerNorm and RMSNorm over the last dimension C of (N, C) rows, forward next to backward.
// Forward saves per-row statistics (mean, rstd) so backward needs no second reduction pass over x.

/** y = (x - mean) * rstd * w + b; mean and rstd (N) saved. Rows [r0, r1). */
export function layerNormForward(x: usize, w: usize, b: usize, y: usize, mean: usize, rstd: usize, C: i32, eps: f32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * C) << 2);
    const yr = y + (<usize>(r * C) << 2);
    let s: f32 = 0;
    for (let i = 0; i < C; i++) s += load<f32>(xr + (<usize>i << 2));
    const m = s / <f32>C;
    let v: f32 = 0;
    for (let i = 0; i < C; i++) {
      const d = load<f32>(xr + (<usize>i << 2)) - m;
      v += d * d;
    }
    const rs: f32 = 1.0 / Mathf.sqrt(v / <f32>C + eps);
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      store<f32>(yr + o, (load<f32>(xr + o) - m) * rs * load<f32>(w + o) + load<f32>(b + o));
    }
    store<f32>(mean + (<usize>r << 2), m);
    store<f32>(rstd + (<usize>r << 2), rs);
  }
}

/**
 * dx += rstd * (dy*w - mean(dy*w) - xhat * mean(dy*w * xhat)); dw += dy * xhat; db += dy.
 * dw/db are shared by all rows, so callers run this on one thread (it is O(N*C), cheap).
 */
export function layerNormBackward(x: usize, w: usize, mean: usize, rstd: usize, dy: usize, dx: usize, dw: usize, db: usize, N: i32, C: i32): void {
  for (let r = 0; r < N; r++) {
    const xr = x + (<usize>(r * C) << 2);
    const dyr = dy + (<usize>(r * C) << 2);
    const dxr = dx + (<usize>(r * C) << 2);
    const m = load<f32>(mean + (<usize>r << 2));
    const rs = load<f32>(rstd + (<usize>r << 2));
    let sumG: f32 = 0, sumGX: f32 = 0;
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      const xhat = (load<f32>(xr + o) - m) * rs;
      const g = load<f32>(dyr + o) * load<f32>(w + o);
      sumG += g;
      sumGX += g * xhat;
    }
    sumG /= <f32>C;
    sumGX /= <f32>C;
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      const xhat = (load<f32>(xr + o) - m) * rs;
      const d = load<f32>(dyr + o);
      store<f32>(db + o, load<f32>(db + o) + d);
      store<f32>(dw + o, load<f32>(dw + o) + d * xhat);
      store<f32>(dxr + o, load<f32>(dxr + o) + rs * (d * load<f32>(w + o) - sumG - xhat * sumGX));
    }
  }
}

/** y = x * rstd * w with rstd = 1 / sqrt(mean(x^2) + eps); rstd (N) saved. Rows [r0, r1). */
export function rmsNormForward(x: usize, w: usize, y: usize, rstd: usize, C: i32, eps: f32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * C) << 2);
    const yr = y + (<usize>(r * C) << 2);
    let s: f32 = 0;
    for (let i = 0; i < C; i++) {
      const v = load<f32>(xr + (<usize>i << 2));
      s += v * v;
    }
    const rs: f32 = 1.0 / Mathf.sqrt(s / <f32>C + eps);
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      store<f32>(yr + o, load<f32>(xr + o) * rs * load<f32>(w + o));
    }
    store<f32>(rstd + (<usize>r << 2), rs);
  }
}

/** dx += rstd * (dy*w - xhat * mean(dy*w * xhat)); dw += dy * xhat. Single-threaded like LayerNorm. */
export function rmsNormBackward(x: usize, w: usize, rstd: usize, dy: usize, dx: usize, dw: usize, N: i32, C: i32): void {
  for (let r = 0; r < N; r++) {
    const xr = x + (<usize>(r * C) << 2);
    const dyr = dy + (<usize>(r * C) << 2);
    const dxr = dx + (<usize>(r * C) << 2);
    const rs = load<f32>(rstd + (<usize>r << 2));
    let sumGX: f32 = 0;
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      sumGX += load<f32>(dyr + o) * load<f32>(w + o) * load<f32>(xr + o) * rs;
    }
    sumGX /= <f32>C;
    for (let i = 0; i < C; i++) {
      const o = <usize>i << 2;
      const xhat = load<f32>(xr + o) * rs;
      const d = load<f32>(dyr + o);
      store<f32>(dw + o, load<f32>(dw + o) + d * xhat);
      store<f32>(dxr + o, load<f32>(dxr + o) + rs * (d * load<f32>(w + o) - xhat * sumGX));
    }
  }
}
