/**
 * Mixed-radix complex FFT for any length. Whisper's 400-point frame is 4*4*5*5, not a power of two,
 * so a radix-2 FFT would change the framing; this one splits the length into its prime factors
 * (taking 4 where it can) and runs one pass per factor (Stockham's self-sorting order: each pass
 * reads one buffer and writes the other in order, so there is no bit reversal and no recursion).
 *
 * After the passes over factors p_1..p_s (product L, M = n / L), position j*M + k holds the L-point
 * DFT, at frequency j, of the samples k, k + M, k + 2M, ... The next factor p combines p of those
 * (residues k + M'r, M' = M / p) into the pL-point DFT at frequencies j + Lq:
 *   Y'[(j + Lq) M' + k] = sum_r w_p^(qr) (w_pL^(jr) Y[j M + k + M'r]).
 */
export interface FftPlan {
	size: number;
	passes: FftPass[];
	/** Ping-pong buffers of the plan's size, and one butterfly's inputs; reused by every call. */
	bufRe: [Float64Array, Float64Array];
	bufIm: [Float64Array, Float64Array];
	scratchRe: Float64Array;
	scratchIm: Float64Array;
}

interface FftPass {
	radix: number;
	/** Product of the earlier passes' radices. */
	span: number;
	/** Twiddles w_pL^(jr) for j < span, 0 < r < radix, at [j * (radix - 1) + r - 1]. */
	twRe: Float64Array;
	twIm: Float64Array;
	/** The radix-point DFT's cos and -sin of 2*pi*m/radix, m < radix; empty for 4 and 5, written out. */
	kernelCos: Float64Array;
	kernelSin: Float64Array;
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
	const passes: FftPass[] = [];
	let span = 1;
	for (const radix of factorise(size)) {
		const twRe = new Float64Array(span * (radix - 1));
		const twIm = new Float64Array(span * (radix - 1));
		for (let j = 0; j < span; j++) {
			for (let r = 1; r < radix; r++) {
				// Forward transform: w = exp(-2*pi*i*j*r / (radix*span)).
				const angle = (-2 * Math.PI * j * r) / (radix * span);
				twRe[j * (radix - 1) + r - 1] = Math.cos(angle);
				twIm[j * (radix - 1) + r - 1] = Math.sin(angle);
			}
		}
		const generic = radix !== 4 && radix !== 5;
		passes.push({
			radix,
			span,
			twRe,
			twIm,
			kernelCos: generic ? Float64Array.from({ length: radix }, (_, m) => Math.cos((2 * Math.PI * m) / radix)) : new Float64Array(0),
			kernelSin: generic ? Float64Array.from({ length: radix }, (_, m) => -Math.sin((2 * Math.PI * m) / radix)) : new Float64Array(0)
		});
		span *= radix;
	}
	const widest = Math.max(1, ...passes.map((p) => p.radix));
	return {
		size,
		passes,
		bufRe: [new Float64Array(size), new Float64Array(size)],
		bufIm: [new Float64Array(size), new Float64Array(size)],
		scratchRe: new Float64Array(widest),
		scratchIm: new Float64Array(widest)
	};
}

/** One pass of radix 4, whose kernel needs no multiplications (w_4 = -i). */
function pass4(pass: FftPass, n: number, xRe: Float64Array, xIm: Float64Array, yRe: Float64Array, yIm: Float64Array): void {
	const { span: L, twRe, twIm } = pass;
	const M = n / L;
	const m = M / 4;
	const stride = L * m;
	for (let j = 0; j < L; j++) {
		const t = 3 * j;
		const w1r = twRe[t], w1i = twIm[t], w2r = twRe[t + 1], w2i = twIm[t + 1], w3r = twRe[t + 2], w3i = twIm[t + 2];
		const src = j * M;
		for (let k = 0; k < m; k++) {
			const i0 = src + k;
			const a0r = xRe[i0], a0i = xIm[i0];
			const b1r = xRe[i0 + m], b1i = xIm[i0 + m];
			const b2r = xRe[i0 + 2 * m], b2i = xIm[i0 + 2 * m];
			const b3r = xRe[i0 + 3 * m], b3i = xIm[i0 + 3 * m];
			const a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
			const a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
			const a3r = b3r * w3r - b3i * w3i, a3i = b3r * w3i + b3i * w3r;
			const s02r = a0r + a2r, s02i = a0i + a2i, d02r = a0r - a2r, d02i = a0i - a2i;
			const s13r = a1r + a3r, s13i = a1i + a3i, d13r = a1r - a3r, d13i = a1i - a3i;
			const o = j * m + k;
			yRe[o] = s02r + s13r;
			yIm[o] = s02i + s13i;
			// q = 1: a0 - i a1 - a2 + i a3 = d02 - i d13.
			yRe[o + stride] = d02r + d13i;
			yIm[o + stride] = d02i - d13r;
			yRe[o + 2 * stride] = s02r - s13r;
			yIm[o + 2 * stride] = s02i - s13i;
			// q = 3: d02 + i d13.
			yRe[o + 3 * stride] = d02r - d13i;
			yIm[o + 3 * stride] = d02i + d13r;
		}
	}
}

const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

/**
 * One pass of radix 5 with the kernel written out: pairs (a1, a4) and (a2, a3) share their cosines,
 * and their differences their sines.
 */
function pass5(pass: FftPass, n: number, xRe: Float64Array, xIm: Float64Array, yRe: Float64Array, yIm: Float64Array): void {
	const { span: L, twRe, twIm } = pass;
	const M = n / L;
	const m = M / 5;
	const stride = L * m;
	for (let j = 0; j < L; j++) {
		const t = 4 * j;
		const w1r = twRe[t], w1i = twIm[t], w2r = twRe[t + 1], w2i = twIm[t + 1];
		const w3r = twRe[t + 2], w3i = twIm[t + 2], w4r = twRe[t + 3], w4i = twIm[t + 3];
		const src = j * M;
		for (let k = 0; k < m; k++) {
			const i0 = src + k;
			const a0r = xRe[i0], a0i = xIm[i0];
			let br = xRe[i0 + m], bi = xIm[i0 + m];
			const a1r = br * w1r - bi * w1i, a1i = br * w1i + bi * w1r;
			br = xRe[i0 + 2 * m];
			bi = xIm[i0 + 2 * m];
			const a2r = br * w2r - bi * w2i, a2i = br * w2i + bi * w2r;
			br = xRe[i0 + 3 * m];
			bi = xIm[i0 + 3 * m];
			const a3r = br * w3r - bi * w3i, a3i = br * w3i + bi * w3r;
			br = xRe[i0 + 4 * m];
			bi = xIm[i0 + 4 * m];
			const a4r = br * w4r - bi * w4i, a4i = br * w4i + bi * w4r;
			const t1r = a1r + a4r, t1i = a1i + a4i, t3r = a1r - a4r, t3i = a1i - a4i;
			const t2r = a2r + a3r, t2i = a2i + a3i, t4r = a2r - a3r, t4i = a2i - a3i;
			const b1r = a0r + C1 * t1r + C2 * t2r, b1i = a0i + C1 * t1i + C2 * t2i;
			const b2r = a0r + C2 * t1r + C1 * t2r, b2i = a0i + C2 * t1i + C1 * t2i;
			// y1, y4 = b1 -/+ i (S1 t3 + S2 t4); y2, y3 = b2 -/+ i (S2 t3 - S1 t4).
			const u1r = S1 * t3r + S2 * t4r, u1i = S1 * t3i + S2 * t4i;
			const u2r = S2 * t3r - S1 * t4r, u2i = S2 * t3i - S1 * t4i;
			const o = j * m + k;
			yRe[o] = a0r + t1r + t2r;
			yIm[o] = a0i + t1i + t2i;
			yRe[o + stride] = b1r + u1i;
			yIm[o + stride] = b1i - u1r;
			yRe[o + 2 * stride] = b2r + u2i;
			yIm[o + 2 * stride] = b2i - u2r;
			yRe[o + 3 * stride] = b2r - u2i;
			yIm[o + 3 * stride] = b2i + u2r;
			yRe[o + 4 * stride] = b1r - u1i;
			yIm[o + 4 * stride] = b1i + u1r;
		}
	}
}

/** One pass of any other radix: the twiddled inputs, then a direct radix-point DFT. */
function passAny(plan: FftPlan, pass: FftPass, n: number, xRe: Float64Array, xIm: Float64Array, yRe: Float64Array, yIm: Float64Array): void {
	const { radix: p, span: L, twRe, twIm, kernelCos: cos, kernelSin: sin } = pass;
	const { scratchRe: aRe, scratchIm: aIm } = plan;
	const M = n / L;
	const m = M / p;
	const stride = L * m;
	for (let j = 0; j < L; j++) {
		const src = j * M;
		const tw = j * (p - 1);
		for (let k = 0; k < m; k++) {
			aRe[0] = xRe[src + k];
			aIm[0] = xIm[src + k];
			for (let r = 1; r < p; r++) {
				const br = xRe[src + k + r * m], bi = xIm[src + k + r * m];
				const wr = twRe[tw + r - 1], wi = twIm[tw + r - 1];
				aRe[r] = br * wr - bi * wi;
				aIm[r] = br * wi + bi * wr;
			}
			const o = j * m + k;
			for (let q = 0; q < p; q++) {
				let accRe = aRe[0];
				let accIm = aIm[0];
				// The exponent q*r mod p, stepped by addition.
				let e = q;
				for (let r = 1; r < p; r++) {
					const c = cos[e], s = sin[e];
					accRe += aRe[r] * c - aIm[r] * s;
					accIm += aRe[r] * s + aIm[r] * c;
					e += q;
					if (e >= p) e -= p;
				}
				yRe[o + q * stride] = accRe;
				yIm[o + q * stride] = accIm;
			}
		}
	}
}

/** Forward DFT of (re, im) into (outRe, outIm); all four arrays have the plan's size. */
export function fft(plan: FftPlan, re: Float64Array, im: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
	const n = plan.size;
	const { passes, bufRe, bufIm } = plan;
	if (passes.length === 0) {
		outRe[0] = re[0];
		outIm[0] = im[0];
		return;
	}
	let xRe = re;
	let xIm = im;
	for (let i = 0; i < passes.length; i++) {
		const pass = passes[i];
		// The last pass writes the caller's output; the others alternate between the plan's buffers.
		const last = i === passes.length - 1;
		const yRe = last ? outRe : bufRe[i % 2];
		const yIm = last ? outIm : bufIm[i % 2];
		if (pass.radix === 4) pass4(pass, n, xRe, xIm, yRe, yIm);
		else if (pass.radix === 5) pass5(pass, n, xRe, xIm, yRe, yIm);
		else passAny(plan, pass, n, xRe, xIm, yRe, yIm);
		xRe = yRe;
		xIm = yIm;
	}
}
