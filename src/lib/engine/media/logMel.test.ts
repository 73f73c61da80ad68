import { describe, expect, it } from 'vitest';
import { logMelSpectrogram, reflectIndex } from './logMel';
import { logMelReference } from './logMelReference';

describe('reflectIndex', () => {
	it('mirrors without repeating the edge sample', () => {
		expect([-3, -2, -1, 0, 1, 2, 3, 4, 5].map((i) => reflectIndex(i, 4))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1]);
	});
});

describe('logMelSpectrogram', () => {
	// A chirp plus a little deterministic noise: energy in many mel bins, none exactly silent.
	const sampleRate = 16000;
	const samples = Float32Array.from({ length: 2400 }, (_, i) => {
		const t = i / sampleRate;
		return 0.5 * Math.sin(2 * Math.PI * (300 + 6000 * t) * t) + 0.01 * Math.sin(i * 12.9898);
	});

	it('matches the float64 reference (direct DFT) for 25 ms / 10 ms / 80 mels', () => {
		const fast = logMelSpectrogram(samples, { normalise: 'none' });
		const reference = logMelReference(samples, sampleRate, 400, 160, 80);
		expect(fast.nMels).toBe(80);
		expect(fast.nFrames).toBe(15);
		let worst = 0;
		for (let m = 0; m < 80; m++) {
			for (let t = 0; t < fast.nFrames; t++) worst = Math.max(worst, Math.abs(fast.data[m * fast.nFrames + t] - reference[m][t]));
		}
		expect(worst).toBeLessThan(1e-4);
	});

	it("applies Whisper's clamp to (max - 8) and (x + 4) / 4 map", () => {
		const raw = logMelSpectrogram(samples, { normalise: 'none' });
		const normalised = logMelSpectrogram(samples);
		const max = Math.max(...raw.data);
		for (let i = 0; i < raw.data.length; i += 97) {
			expect(normalised.data[i]).toBeCloseTo((Math.max(raw.data[i], max - 8) + 4) / 4, 5);
		}
	});

	it('peaks in the mel bin of a pure tone', () => {
		const tone = Float32Array.from({ length: 16000 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 16000));
		const { data, nFrames } = logMelSpectrogram(tone, { normalise: 'none' });
		const t = 50;
		let best = 0;
		for (let m = 1; m < 80; m++) if (data[m * nFrames + t] > data[best * nFrames + t]) best = m;
		// 440 Hz is 6.6 Slaney mels; filter centres sit every 45.2 / 81 = 0.56 mels, so near filter 11.
		expect(best).toBeGreaterThan(10);
		expect(best).toBeLessThan(22);
	});
});
