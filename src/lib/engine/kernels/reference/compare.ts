// Helpers for checking kernels against references: seeded random data and a scaled error measure.

export function randomArray(n: number, seed: number, scale = 1): Float64Array {
	let s = seed | 0 || 1;
	const out = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		// Rounded to f32 so the kernel sees exactly what the reference sees.
		out[i] = Math.fround(((s >>> 0) / 4294967296 - 0.5) * 2 * scale);
	}
	return out;
}

/** max |a - b| / (max |b| + 1e-6): error relative to the magnitude of the reference. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
	let err = 0;
	let mag = 0;
	for (let i = 0; i < a.length; i++) {
		err = Math.max(err, Math.abs(a[i] - b[i]));
		mag = Math.max(mag, Math.abs(b[i]));
	}
	return err / (mag + 1e-6);
}

/**
 * Central finite differences of a scalar function f at x: df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / 2h.
 * Used in float64 where h = 1e-6 gives about 1e-9 relative accuracy.
 */
export function numericGrad(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
	const g = new Float64Array(x.length);
	for (let i = 0; i < x.length; i++) {
		const old = x[i];
		x[i] = old + h;
		const fp = f(x);
		x[i] = old - h;
		const fm = f(x);
		x[i] = old;
		g[i] = (fp - fm) / (2 * h);
	}
	return g;
}

/** <y, r>: turns a vector output into the scalar whose gradient w.r.t. y is r. */
export function dot(y: ArrayLike<number>, r: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < y.length; i++) s += y[i] * r[i];
	return s;
}
