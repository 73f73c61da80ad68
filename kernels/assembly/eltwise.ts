// Element-wise kernels over contiguous f32 arrays: arithmetic used by residuals and gradient
// accumulation, bias add, and dropout. Each takes [i0, i1) so the thread pool can split it.

/** out[i] = a[i] + b[i] */
export function add(a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

/** out[i] = a[i] * b[i] */
export function mul(a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/** y[i] += alpha * x[i] (gradient accumulation, residual backward, scaling). */
export function axpy(alpha: f32, x: usize, y: usize, i0: i32, i1: i32): void {
  const va = f32x4.splat(alpha);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

/** y[i] = alpha * x[i] (in place allowed). */
export function scale(alpha: f32, x: usize, y: usize, i0: i32, i1: i32): void {
  const va = f32x4.splat(alpha);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(va, v128.load(x + o)));
  }
  for (; i < i1; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, alpha * load<f32>(x + o));
  }
}

/** y(rows, cols) += bias(cols), rows [r0, r1). */
export function biasAdd(y: usize, bias: usize, cols: i32, r0: i32, r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const row = y + (<usize>(r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

/** dbias(cols) += sum over rows of dy(rows, cols), columns [c0, c1) so threads never share a column. */
export function biasBackward(dy: usize, dbias: usize, rows: i32, cols: i32, c0: i32, c1: i32): void {
  let j = c0;
  for (; j + 4 <= c1; j += 4) {
    let s = v128.load(dbias + (<usize>j << 2));
    for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(dy + (<usize>(r * cols + j) << 2)));
    v128.store(dbias + (<usize>j << 2), s);
  }
  for (; j < c1; j++) {
    let s = load<f32>(dbias + (<usize>j << 2));
    for (let r = 0; r < rows; r++) s += load<f32>(dy + (<usize>(r * cols + j) << 2));
    store<f32>(dbias + (<usize>j << 2), s);
  }
}

/** Counter-based uniform in [0, 1): the mask is a pure function of (seed, i), so backward recomputes it. */
// @ts-ignore: decorator
@inline function uniform(seed: u32, i: u32): f32 {
  let h = seed ^ (i * 0x9e3779b9);
  h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16;
  return <f32>(h >> 8) * (1.0 / 16777216.0);
}

/**
 * Inverted dropout: y = x / (1 - p) where kept, 0 where dropped. The same call with dy in place of x
 * is the backward (accumulate=1 adds into y instead of overwriting).
 */
export function dropout(x: usize, y: usize, p: f32, seed: u32, accumulate: i32, i0: i32, i1: i32): void {
  const keepScale: f32 = 1.0 / (1.0 - p);
  for (let i = i0; i < i1; i++) {
    const o = <usize>i << 2;
    const v = uniform(seed, <u32>i) >= p ? load<f32>(x + o) * keepScale : <f32>0;
    store<f32>(y + o, accumulate ? load<f32>(y + o) + v : v);
  }
}

/** Sum of squares in f64 (global gradient norm for clipping). */
export function sumSquares(x: usize, n: i32): f64 {
  let s: f64 = 0;
  let acc = f32x4.splat(0);
  let i = 0;
  // Partial sums in f32 blocks of 1024, folded into f64, keep precision on large tensors.
  while (i + 4 <= n) {
    const end = min(n, i + 1024) & ~3;
    acc = f32x4.splat(0);
    for (; i < end; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    s += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    s += v * v;
  }
  return s;
}

/**
 * Zeroes bytes [p, p + n). The host calls this rather than TypedArray.fill, which V8 runs element
 * by element on shared memory; memory.fill is a plain memset.
 */
export function zero(p: usize, n: usize): void {
  memory.fill(p, 0, n);
}
