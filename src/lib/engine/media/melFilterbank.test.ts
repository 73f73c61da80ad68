import { describe, expect, it } from 'vitest';
import { melFilterbank } from './melFilterbank';
import { melFilterbankReference } from './logMelReference';
import { hzToMel, melToHz } from './melScale';

describe('Slaney mel scale', () => {
	it('is linear below 1 kHz and logarithmic above', () => {
		expect(hzToMel(0)).toBe(0);
		expect(hzToMel(200)).toBeCloseTo(3, 12);
		expect(hzToMel(1000)).toBeCloseTo(15, 12);
		// 27 mels per factor of 6.4 above the break.
		expect(hzToMel(6400)).toBeCloseTo(42, 12);
		for (const hz of [50, 999, 1000, 4321, 8000]) expect(melToHz(hzToMel(hz))).toBeCloseTo(hz, 9);
	});
});

describe('melFilterbank', () => {
	it('matches the float64 reference for Whisper settings (16 kHz, 400-point FFT, 80 mels)', () => {
		const fast = melFilterbank({ sampleRate: 16000, nFft: 400, nMels: 80 });
		const reference = melFilterbankReference(16000, 400, 80);
		expect(fast.length).toBe(80 * 201);
		let worst = 0;
		for (let m = 0; m < 80; m++) {
			for (let k = 0; k < 201; k++) worst = Math.max(worst, Math.abs(fast[m * 201 + k] - reference[m][k]));
		}
		// float32 storage of values around 1e-3.
		expect(worst).toBeLessThan(1e-9);
	});

	it('has triangles of area about one in Hz and no negative weights', () => {
		const weights = melFilterbank({ sampleRate: 16000, nFft: 400, nMels: 80 });
		expect(Math.min(...weights)).toBeGreaterThanOrEqual(0);
		const binHz = 16000 / 400;
		// High filters span many bins, so their Riemann sum is close to the triangle's area of 1.
		let sum = 0;
		for (let k = 0; k < 201; k++) sum += weights[70 * 201 + k] * binHz;
		expect(sum).toBeCloseTo(1, 1);
	});

	it('gives the hand-computed weight of bin 1 (40 Hz), just past the first peak (37.2 Hz)', () => {
		const weights = melFilterbank({ sampleRate: 16000, nFft: 400, nMels: 80 });
		const melStep = hzToMel(8000) / 81;
		const peak = melToHz(melStep);
		const right = melToHz(2 * melStep);
		expect(peak).toBeCloseTo(37.24, 2);
		// Falling edge of filter 0, times the Slaney norm 2 / (right - 0).
		expect(weights[1]).toBeCloseTo(((right - 40) / (right - peak)) * (2 / right), 8);
	});
});
