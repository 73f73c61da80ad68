// Shared SIMD helpers. Everything is @inline so each kernel gets straight-line code.

/** a * b + c on four lanes; fused when the module is built with relaxed SIMD. */
// @ts-ignore: decorator
@inline export function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Horizontal sum of four lanes. */
// @ts-ignore: decorator
@inline export function hsum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * e^x on four lanes (Cephes expf: range reduction by ln 2, degree-6 polynomial, about 2 ulp).
 * Software Mathf.exp costs several times more and the activations, softmax and attention all lean on it.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  // pmax/pmin with x first keep NaN like max/min, without their NaN fix-up sequences.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  // Adding 1.5 * 2^23 rounds to the nearest integer n, which lands in the low mantissa bits.
  const big = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504)), f32x4.splat(12582912.0));
  const n = f32x4.sub(big, f32x4.splat(12582912.0));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(big, i32x4.splat(127 - 0x4b400000)), 23);
  return f32x4.mul(p, pow2);
}

/** Scalar e^x through the same polynomial, so vector bodies and scalar tails agree. */
// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** tanh through exp: 1 - 2 / (e^{2x} + 1); saturates cleanly at both ends. */
// @ts-ignore: decorator
@inline export function tanh4(x: v128): v128 {
  const e = exp4(f32x4.add(x, x));
  return f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
}

/** Logistic sigmoid 1 / (1 + e^-x). */
// @ts-ignore: decorator
@inline export function sigmoid4(x: v128): v128 {
  return f32x4.div(f32x4.splat(1.0), f32x4.add(f32x4.splat(1.0), exp4(f32x4.neg(x))));
}
