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
	return { size, factors: factorise(size), cos, sin };
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
	// p interleaved sub-sequences, each transformed into a contiguous block of length m.
	for (let q = 0; q < p; q++) transform(plan, inRe, inIm, inAt + q * stride, stride * p, m, level + 1, outRe, outIm, outAt + q * m);
	// Combine: X[k + r*m] = sum_q W_n^(q*(k + r*m)) * Y_q[k], with W_n^e = W_N^(e * N/n).
	const step = plan.size / n;
	const tmpRe = new Float64Array(p);
	const tmpIm = new Float64Array(p);
	for (let k = 0; k < m; k++) {
		for (let q = 0; q < p; q++) {
			tmpRe[q] = outRe[outAt + q * m + k];
			tmpIm[q] = outIm[outAt + q * m + k];
		}
		for (let r = 0; r < p; r++) {
			const index = k + r * m;
			let accRe = 0;
			let accIm = 0;
			for (let q = 0; q < p; q++) {
				const t = ((q * index) % n) * step;
				const c = plan.cos[t];
				const s = plan.sin[t];
				accRe += tmpRe[q] * c - tmpIm[q] * s;
				accIm += tmpRe[q] * s + tmpIm[q] * c;
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
