/**
 * Band-limited resampling with a Kaiser-windowed sinc, evaluated polyphase.
 *
 * For an output sample at input time t, y = sum_k x[k] * h(t - k) where h is an ideal low-pass at
 * `rolloff` times the lower of the two Nyquist rates, cut to `zeroCrossings` lobes each side by a
 * Kaiser window. When the rate ratio reduces to L/M with L small, the fractional offsets repeat with
 * period L, so the taps are tabulated once per phase. Samples outside the signal count as zero.
 */
export interface ResampleOptions {
	/** Sinc lobes kept on each side of the centre; more lobes give a sharper transition band. */
	zeroCrossings?: number;
	/** Pass-band edge as a fraction of the lower Nyquist rate; below 1 leaves room for the transition. */
	rolloff?: number;
	/** Kaiser window shape; 8.6 gives about 90 dB stop-band attenuation. */
	kaiserBeta?: number;
}

/**
 * Rate pairs with more phases than this (odd rates such as 44111 Hz) use a table of
 * INTERPOLATED_PHASES offsets and interpolate linearly between neighbours; the error is second order
 * in 1/INTERPOLATED_PHASES, far below 16-bit quantisation.
 */
const MAX_TABLE_PHASES = 4096;
const INTERPOLATED_PHASES = 1024;

function gcd(a: number, b: number): number {
	while (b) [a, b] = [b, a % b];
	return a;
}

/** Zeroth-order modified Bessel function of the first kind, by its power series. */
function besselI0(x: number): number {
	let sum = 1;
	let term = 1;
	const half = x / 2;
	for (let k = 1; k < 50; k++) {
		term *= (half / k) * (half / k);
		sum += term;
		if (term < sum * 1e-17) break;
	}
	return sum;
}

interface Kernel {
	/** Taps each side: offsets j in [1 - taps, taps] around floor(t). */
	taps: number;
	weight: (offset: number) => number;
}

function makeKernel(ratio: number, options: ResampleOptions): Kernel {
	const zeroCrossings = options.zeroCrossings ?? 16;
	const rolloff = options.rolloff ?? 0.945;
	const beta = options.kaiserBeta ?? 8.6;
	// Cut-off in cycles per input sample.
	const cutoff = 0.5 * Math.min(1, ratio) * rolloff;
	const halfWidth = zeroCrossings / (2 * cutoff);
	const i0Beta = besselI0(beta);
	const weight = (offset: number) => {
		const x = offset / halfWidth;
		if (x <= -1 || x >= 1) return 0;
		const arg = 2 * Math.PI * cutoff * offset;
		const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
		return 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - x * x)) / i0Beta);
	};
	return { taps: Math.ceil(halfWidth), weight };
}

/** Taps for one fractional offset, scaled to sum to one so DC passes unchanged. */
function phaseTaps(kernel: Kernel, frac: number, out: Float64Array): void {
	let sum = 0;
	for (let j = 1 - kernel.taps, i = 0; j <= kernel.taps; j++, i++) {
		out[i] = kernel.weight(frac - j);
		sum += out[i];
	}
	if (sum !== 0) for (let i = 0; i < out.length; i++) out[i] /= sum;
}

export function resample(input: Float32Array, inRate: number, outRate: number, options: ResampleOptions = {}): Float32Array {
	if (!(inRate > 0 && outRate > 0) || !Number.isInteger(inRate) || !Number.isInteger(outRate)) {
		throw new RangeError(`sample rates must be positive integers, got ${inRate} -> ${outRate}`);
	}
	if (inRate === outRate) return input.slice();
	const g = gcd(inRate, outRate);
	const up = outRate / g;
	const down = inRate / g;
	const kernel = makeKernel(outRate / inRate, options);
	const width = 2 * kernel.taps;
	const outLength = Math.ceil((input.length * up) / down);
	const output = new Float32Array(outLength);

	const exact = up <= MAX_TABLE_PHASES;
	// The interpolated table also holds offset 1.0 so the last interval has a right neighbour.
	const phases = exact ? up : INTERPOLATED_PHASES + 1;
	const table = new Float64Array(phases * width);
	for (let p = 0; p < phases; p++) phaseTaps(kernel, exact ? p / up : p / INTERPOLATED_PHASES, table.subarray(p * width, (p + 1) * width));
	const scratch = new Float64Array(width);

	for (let n = 0; n < outLength; n++) {
		// Input time of output sample n is n * down / up; split it into a whole part and a phase.
		const position = n * down;
		const base = Math.floor(position / up);
		const phase = position - base * up;
		let taps: Float64Array;
		if (exact) {
			taps = table.subarray(phase * width, (phase + 1) * width);
		} else {
			const at = (phase / up) * INTERPOLATED_PHASES;
			const lo = Math.floor(at);
			const mix = at - lo;
			for (let i = 0; i < width; i++) scratch[i] = table[lo * width + i] * (1 - mix) + table[(lo + 1) * width + i] * mix;
			taps = scratch;
		}
		let acc = 0;
		const first = base + 1 - kernel.taps;
		const lo = Math.max(0, -first);
		const hi = Math.min(width, input.length - first);
		for (let i = lo; i < hi; i++) acc += input[first + i] * taps[i];
		output[n] = acc;
	}
	return output;
}
