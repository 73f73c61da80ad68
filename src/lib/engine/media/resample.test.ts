import { describe, expect, it } from 'vitest';
import { resample } from './resample';

function sine(freq: number, rate: number, seconds: number, amplitude = 0.8): Float32Array {
	return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** Amplitude of the component at `freq`, by projection on sin and cos over the middle of the signal. */
function toneAmplitude(x: Float32Array, freq: number, rate: number): number {
	const start = Math.floor(x.length / 4);
	const end = Math.floor((3 * x.length) / 4);
	let s = 0;
	let c = 0;
	for (let i = start; i < end; i++) {
		s += x[i] * Math.sin((2 * Math.PI * freq * i) / rate);
		c += x[i] * Math.cos((2 * Math.PI * freq * i) / rate);
	}
	return (2 * Math.hypot(s, c)) / (end - start);
}

/** Frequency from zero crossings over the middle half; exact enough to catch a wrong rate. */
function crossingFrequency(x: Float32Array, rate: number): number {
	const start = Math.floor(x.length / 4);
	const end = Math.floor((3 * x.length) / 4);
	let crossings = 0;
	for (let i = start + 1; i < end; i++) if (x[i - 1] < 0 !== x[i] < 0) crossings++;
	return (crossings / 2) * (rate / (end - start));
}

describe('resample', () => {
	it.each([
		[44100, 16000, 1000],
		[48000, 16000, 3000],
		[22050, 16000, 440],
		[8000, 16000, 1000],
		[11025, 16000, 2500]
	])('keeps the frequency and amplitude of a sine (%i Hz -> %i Hz, %i Hz tone)', (from, to, freq) => {
		const out = resample(sine(freq, from, 0.5), from, to);
		expect(out.length).toBe(Math.ceil((Math.round(from * 0.5) * to) / from));
		expect(crossingFrequency(out, to)).toBeCloseTo(freq, -1);
		expect(toneAmplitude(out, freq, to)).toBeCloseTo(0.8, 3);
		// Nothing else in the signal: the residual after removing the tone is tiny.
		const ideal = sine(freq, to, out.length / to);
		let worst = 0;
		for (let i = out.length / 4; i < (3 * out.length) / 4; i++) worst = Math.max(worst, Math.abs(out[Math.floor(i)] - ideal[Math.floor(i)]));
		expect(worst).toBeLessThan(2e-3);
	});

	it('removes content above the new Nyquist rate instead of aliasing it', () => {
		const out = resample(sine(10000, 44100, 0.5), 44100, 16000);
		// 10 kHz would fold to 6 kHz without the low-pass.
		expect(toneAmplitude(out, 6000, 16000)).toBeLessThan(1e-3);
	});

	it('handles odd rate pairs with too many phases to tabulate exactly', () => {
		const out = resample(sine(3000, 44111, 0.5), 44111, 16000);
		expect(toneAmplitude(out, 3000, 16000)).toBeCloseTo(0.8, 3);
		const ideal = sine(3000, 16000, out.length / 16000);
		let worst = 0;
		for (let i = 2000; i < 6000; i++) worst = Math.max(worst, Math.abs(out[i] - ideal[i]));
		expect(worst).toBeLessThan(2e-3);
	});

	it('returns a copy at equal rates and rejects bad rates', () => {
		const x = sine(100, 16000, 0.01);
		expect(resample(x, 16000, 16000)).toEqual(x);
		expect(() => resample(x, 0, 16000)).toThrow(RangeError);
	});
});
