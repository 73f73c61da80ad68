import { describe, expect, it } from 'vitest';
import { fft, planFft } from './fft';

/** The DFT by its definition, in float64: X[k] = sum_i x[i] exp(-2 pi i k i / n). */
function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
	const n = re.length;
	const outRe = new Float64Array(n);
	const outIm = new Float64Array(n);
	for (let k = 0; k < n; k++) {
		for (let i = 0; i < n; i++) {
			const c = Math.cos((-2 * Math.PI * k * i) / n);
			const s = Math.sin((-2 * Math.PI * k * i) / n);
			outRe[k] += re[i] * c - im[i] * s;
			outIm[k] += re[i] * s + im[i] * c;
		}
	}
	return { re: outRe, im: outIm };
}

describe('fft', () => {
	// 1 and small primes (one pass), the written-out radices 4 and 5 alone and mixed (Whisper's
	// 400 = 4*4*5*5), powers of two, the generic pass beside them (3, 7) and alone (49, 97).
	it.each([1, 2, 3, 5, 7, 12, 16, 49, 60, 84, 97, 125, 400, 512])('matches a direct DFT for size %i, real and complex input', (n) => {
		const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + (i % 3) * 0.1);
		for (const im of [new Float64Array(n), Float64Array.from({ length: n }, (_, i) => Math.cos(i * 1.3) - 0.2)]) {
			const outRe = new Float64Array(n);
			const outIm = new Float64Array(n);
			fft(planFft(n), re, im, outRe, outIm);
			const ref = naiveDft(re, im);
			for (let k = 0; k < n; k++) {
				expect(outRe[k]).toBeCloseTo(ref.re[k], 9);
				expect(outIm[k]).toBeCloseTo(ref.im[k], 9);
			}
		}
	});

	it('leaves its input alone and gives the same answer when a plan is used again', () => {
		const n = 400;
		const plan = planFft(n);
		const re = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.11));
		const im = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.05));
		const [reCopy, imCopy] = [re.slice(), im.slice()];
		const first = [new Float64Array(n), new Float64Array(n)];
		const second = [new Float64Array(n), new Float64Array(n)];
		fft(plan, re, im, first[0], first[1]);
		fft(plan, re, im, second[0], second[1]);
		expect(re).toEqual(reCopy);
		expect(im).toEqual(imCopy);
		expect(second).toEqual(first);
	});

	it('refuses a size that is not a positive whole number', () => {
		expect(() => planFft(0)).toThrow(/positive integer/);
		expect(() => planFft(2.5)).toThrow(/positive integer/);
	});
});
