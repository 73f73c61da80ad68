import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav16 } from '../../engine/media/wavEncode';
import { runFfmpeg } from './ffmpeg';
import { loadAudio, loadAudioFeatures } from './audio';

let dir: string;

function tone(freq: number, rate: number, seconds: number): Float32Array {
	return Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => 0.5 * Math.sin((2 * Math.PI * freq * i) / rate));
}

/** Dominant frequency by zero crossings over the middle half of the clip. */
function crossingFrequency(x: Float32Array, rate: number): number {
	const start = Math.floor(x.length / 4);
	const end = Math.floor((3 * x.length) / 4);
	let crossings = 0;
	for (let i = start + 1; i < end; i++) if (x[i - 1] < 0 !== x[i] < 0) crossings++;
	return (crossings / 2) * (rate / (end - start));
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'media-audio-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('loadAudio', () => {
	it('decodes WAV natively and resamples to 16 kHz', async () => {
		const file = path.join(dir, 'tone-8k.wav');
		await writeFile(file, encodeWav16(tone(1000, 8000, 0.5), 8000));
		const samples = await loadAudio(file);
		expect(samples.length).toBe(8000);
		expect(crossingFrequency(samples, 16000)).toBeCloseTo(1000, -1);
		expect(Math.max(...samples.subarray(2000, 6000))).toBeCloseTo(0.5, 2);
	});

	it('decodes compressed audio (stereo MP3 at 44.1 kHz) through the packaged ffmpeg', async () => {
		const file = path.join(dir, 'tone.mp3');
		await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=600:duration=0.5:sample_rate=44100', '-ac', '2', '-c:a', 'libmp3lame', file], { file });
		const samples = await loadAudio(file);
		// MP3 adds encoder delay and padding frames around the half second.
		expect(samples.length).toBeGreaterThan(7900);
		expect(samples.length).toBeLessThan(9500);
		expect(crossingFrequency(samples, 16000)).toBeCloseTo(600, -1);
	});

	it('gives Whisper-style log-mel features', async () => {
		const features = await loadAudioFeatures({ bytes: encodeWav16(tone(440, 16000, 1), 16000), name: 'a.wav' });
		expect(features.nMels).toBe(80);
		expect(features.nFrames).toBe(100);
		expect(features.data.length).toBe(8000);
	});

	it('names the file when the audio is corrupt', async () => {
		const file = path.join(dir, 'broken.mp3');
		await writeFile(file, Buffer.from('definitely not mpeg audio, just text'.repeat(4)));
		await expect(loadAudio(file)).rejects.toThrow(`${file}: ffmpeg could not decode it`);
		const wav = path.join(dir, 'truncated.wav');
		await writeFile(wav, encodeWav16(tone(440, 16000, 0.1), 16000).subarray(0, 20));
		await expect(loadAudio(wav)).rejects.toThrow(wav);
	});
});
