/**
 * Mixed-radix complex FFT for any length. Whisper's 400-point frame is 4*4*5*5, not a power of two,
 * so a radix-2 FFT would change the framing; this one splits the length into its prime factors
 * (taking 4 where it can) and runs a plain DFT of each factor's size at every stage.
 */
export interface FftPlan {
	size: number;
	factors: number[];
	cos: Float64Array;
	sin: Float64Array;
	/** One butterfly's inputs (the largest factor's worth), reused by every call on this plan. */
	scratchRe: Float64Array;
	scratchIm: Float64Array;
}

function factorise(n: number): number[] {
	const factors: number[] = [];
	let rest = n;
	for (const p of [4, 2, 3, 5]) {
		while (rest % p === 0) {
			factors.push(p);
			rest /= p;
		}
	}
	for (let p = 7; p * p <= rest; p += 2) {
		while (rest % p === 0) {
			factors.push(p);
			rest /= p;
		}
	}
	if (rest > 1) factors.push(rest);
	return factors;
}

export function planFft(size: number): FftPlan {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`FFT size must be a positive integer, got ${size}`);
	const cos = new Float64Array(size);
	const sin = new Float64Array(size);
	for (let i = 0; i < size; i++) {
		// Forward transform twiddles exp(-2*pi*i*k/N).
		cos[i] = Math.cos((2 * Math.PI * i) / size);
		sin[i] = -Math.sin((2 * Math.PI * i) / size);
	}
	const factors = factorise(size);
	const widest = Math.max(1, ...factors);
	return { size, factors, cos, sin, scratchRe: new Float64Array(widest), scratchIm: new Float64Array(widest) };
}

function transform(
	plan: FftPlan,
	inRe: Float64Array,
	inIm: Float64Array,
	inAt: number,
	stride: number,
	n: number,
	level: number,
	outRe: Float64Array,
	outIm: Float64Array,
	outAt: number
): void {
	if (n === 1) {
		outRe[outAt] = inRe[inAt];
		outIm[outAt] = inIm[inAt];
		return;
	}
	const p = plan.factors[level];
	const m = n / p;
	// p interleaved sub-sequences, each transformed into a contiguous block of length m; a block of
	// length 1 is its one input.
	for (let q = 0; q < p; q++) {
		if (m === 1) {
			outRe[outAt + q] = inRe[inAt + q * stride];
			outIm[outAt + q] = inIm[inAt + q * stride];
		} else transform(plan, inRe, inIm, inAt + q * stride, stride * p, m, level + 1, outRe, outIm, outAt + q * m);
	}
	// Combine: X[k + r*m] = sum_q W_n^(q*(k + r*m)) * Y_q[k], with W_n^e = W_N^(e * N/n). The
	// exponent q*(k + r*m) mod n is stepped by addition rather than recomputed.
	const step = (plan.size / n) | 0;
	const { cos, sin, scratchRe: yRe, scratchIm: yIm } = plan;
	for (let k = 0; k < m; k++) {
		for (let q = 0; q < p; q++) {
			yRe[q] = outRe[outAt + q * m + k];
			yIm[q] = outIm[outAt + q * m + k];
		}
		for (let r = 0; r < p; r++) {
			const index = k + r * m;
			let accRe = yRe[0];
			let accIm = yIm[0];
			let e = index;
			for (let q = 1; q < p; q++) {
				const c = cos[e * step];
				const s = sin[e * step];
				accRe += yRe[q] * c - yIm[q] * s;
				accIm += yRe[q] * s + yIm[q] * c;
				e += index;
				if (e >= n) e -= n;
			}
			outRe[outAt + index] = accRe;
			outIm[outAt + index] = accIm;
		}
	}
}

/** Forward DFT of (re, im) into (outRe, outIm); all four arrays have the plan's size. */
export function fft(plan: FftPlan, re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
	transform(plan, re, im, 0, 1, plan.size, 0, outRe, outIm, 0);
}
