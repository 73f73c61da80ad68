// Rotary position embedding, half-split convention (pairs i and i + hs/2, as Llama/HF rotate_half).
// x is (B, T, H, hs) with row stride `stride` floats between consecutive (b, t); cos/sin are (T, hs/2).
// Backward is the inverse rotation, so one kernel serves both: sign = +1 forward, -1 backward.

/** y = rotate(x) (y may alias x); accumulate=1 adds into y (backward into a gradient). Rows (b*T + t) in [r0, r1). */
export function rope(x: usize, y: usize, cos: usize, sin: usize, T: i32, H: i32, hs: i32, stride: i32, sign: f32, accumulate: i32, r0: i32, r1: i32): void {
  const half = hs >> 1;
  for (let r = r0; r < r1; r++) {
    const t = r % T;
    const cr = cos + (<usize>(t * half) << 2);
    const sr = sin + (<usize>(t * half) << 2);
    for (let h = 0; h < H; h++) {
      const off = <usize>(r * stride + h * hs) << 2;
      for (let i = 0; i < half; i++) {
        const o1 = off + (<usize>i << 2);
        const o2 = off + (<usize>(i + half) << 2);
        const c = load<f32>(cr + (<usize>i << 2));
        const s = sign * load<f32>(sr + (<usize>i << 2));
        const x1 = load<f32>(x + o1);
        const x2 = load<f32>(x + o2);
        const y1 = x1 * c - x2 * s;
        const y2 = x2 * c + x1 * s;
        if (accumulate) {
          store<f32>(y + o1, load<f32>(y + o1) + y1);
          store<f32>(y + o2, load<f32>(y + o2) + y2);
        } else {
          store<f32>(y + o1, y1);
          store<f32>(y + o2, y2);
        }
      }
    }
  }
}
