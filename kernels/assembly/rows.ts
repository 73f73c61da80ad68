// Per-row reductions and broadcasts over (N, C): the pieces weight-decomposed adapters (DoRA) need,
// a row's L2 norm and scaling each row by its own factor. Rows [r0, r1) so threads can split them.

/** y[r] = sqrt(sum_c x[r, c]^2) */
export function rowNormForward(x: usize, y: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const xr = x + (<usize>(r * C) << 2);
    let acc = f32x4.splat(0);
    let i = 0;
    for (; i + 4 <= C; i += 4) {
      const v = v128.load(xr + (<usize>i << 2));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; i < C; i++) {
      const v = load<f32>(xr + (<usize>i << 2));
      s += v * v;
    }
    store<f32>(y + (<usize>r << 2), Mathf.sqrt(s));
  }
}

/** dx[r, c] += dy[r] * x[r, c] / y[r] (zero rows get no gradient, as the norm has none there). */
export function rowNormBackward(x: usize, y: usize, dy: usize, dx: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const n = load<f32>(y + (<usize>r << 2));
    if (n == 0) continue;
    const k = load<f32>(dy + (<usize>r << 2)) / n;
    const o = <usize>(r * C) << 2;
    for (let i = 0; i < C; i++) {
      const p = o + (<usize>i << 2);
      store<f32>(dx + p, load<f32>(dx + p) + k * load<f32>(x + p));
    }
  }
}

/** y[r, c] = x[r, c] * s[r] */
export function scaleRowsForward(x: usize, s: usize, y: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const k = f32x4.splat(load<f32>(s + (<usize>r << 2)));
    const o = <usize>(r * C) << 2;
    let i = 0;
    for (; i + 4 <= C; i += 4) v128.store(y + o + (<usize>i << 2), f32x4.mul(v128.load(x + o + (<usize>i << 2)), k));
    for (; i < C; i++) store<f32>(y + o + (<usize>i << 2), load<f32>(x + o + (<usize>i << 2)) * f32x4.extract_lane(k, 0));
  }
}

/** dx[r, c] += dy[r, c] * s[r]; ds[r] += sum_c dy[r, c] * x[r, c]. */
export function scaleRowsBackward(x: usize, s: usize, dy: usize, dx: usize, ds: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const k = load<f32>(s + (<usize>r << 2));
    const o = <usize>(r * C) << 2;
    let dot: f32 = 0;
    for (let i = 0; i < C; i++) {
      const p = o + (<usize>i << 2);
      const d = load<f32>(dy + p);
      dot += d * load<f32>(x + p);
      store<f32>(dx + p, load<f32>(dx + p) + d * k);
    }
    store<f32>(ds + (<usize>r << 2), load<f32>(ds + (<usize>r << 2)) + dot);
  }
}

/** y[r, c] = x[r, c] * s[c], rows [r0, r1). */
export function scaleColumnsForward(x: usize, s: usize, y: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const o = <usize>(r * C) << 2;
    let i = 0;
    for (; i + 4 <= C; i += 4) {
      const c = <usize>i << 2;
      v128.store(y + o + c, f32x4.mul(v128.load(x + o + c), v128.load(s + c)));
    }
    for (; i < C; i++) store<f32>(y + o + (<usize>i << 2), load<f32>(x + o + (<usize>i << 2)) * load<f32>(s + (<usize>i << 2)));
  }
}

/** dx[r, c] += dy[r, c] * s[c], rows [r0, r1). */
export function scaleColumnsBackward(s: usize, dy: usize, dx: usize, C: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const o = <usize>(r * C) << 2;
    let i = 0;
    for (; i + 4 <= C; i += 4) {
      const c = <usize>i << 2;
      v128.store(dx + o + c, f32x4.add(v128.load(dx + o + c), f32x4.mul(v128.load(dy + o + c), v128.load(s + c))));
    }
    for (; i < C; i++) {
      const p = o + (<usize>i << 2);
      store<f32>(dx + p, load<f32>(dx + p) + load<f32>(dy + p) * load<f32>(s + (<usize>i << 2)));
    }
  }
}

/** ds[c] = sum over rows of dy[r, c] * x[r, c] (overwritten), columns [c0, c1) so threads never share one. */
export function columnDots(x: usize, dy: usize, ds: usize, rows: i32, C: i32, c0: i32, c1: i32): void {
  let j = c0;
  for (; j + 4 <= c1; j += 4) {
    let acc = f32x4.splat(0);
    for (let r = 0; r < rows; r++) {
      const p = <usize>(r * C + j) << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(dy + p), v128.load(x + p)));
    }
    v128.store(ds + (<usize>j << 2), acc);
  }
  for (; j < c1; j++) {
    let acc: f32 = 0;
    for (let r = 0; r < rows; r++) {
      const p = <usize>(r * C + j) << 2;
      acc += load<f32>(dy + p) * load<f32>(x + p);
    }
    store<f32>(ds + (<usize>j << 2), acc);
  }
}

/** out[i] = a[i] / b[i] */
export function div(a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) / load<f32>(b + o));
  }
}

/** da[i] += dy[i] / b[i]; db[i] -= dy[i] * a[i] / b[i]^2 */
export function divBackward(a: usize, b: usize, dy: usize, da: usize, db: usize, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i++) {
    const o = <usize>i << 2;
    const bi = load<f32>(b + o);
    const q = load<f32>(dy + o) / bi;
    store<f32>(da + o, load<f32>(da + o) + q);
    store<f32>(db + o, load<f32>(db + o) - q * load<f32>(a + o) / bi);
  }
}
