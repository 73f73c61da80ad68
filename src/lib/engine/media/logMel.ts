import { fft, planFft } from './fft';
import { melFilterbank } from './melFilterbank';

/**
 * Log-mel spectrogram with Whisper's conventions, so features match what Whisper-style audio towers
 * were trained on:
 * - input: mono float samples at `sampleRate` (16 kHz by default);
 * - frames of nFft = 25 ms (400 samples) every hop = 10 ms (160 samples), periodic Hann window
 *   w[i] = 0.5 - 0.5 cos(2 pi i / nFft);
 * - centred framing: the signal is reflect-padded by nFft/2 on both sides (mirroring without
 *   repeating the edge sample, like numpy/torch "reflect"), frame t covers padded samples
 *   [t*hop, t*hop + nFft); nFrames = floor(length / hop), i.e. torch.stft's frame count with the
 *   final frame dropped, as Whisper does;
 * - power spectrum |X|^2 of bins 0..nFft/2, times the Slaney-normalised mel filterbank (80 bins,
 *   0 Hz to Nyquist);
 * - log10(max(mel, 1e-10)); with `normalise: 'whisper'` (the default) then clamped from below at
 *   (global max - 8) and mapped by (x + 4) / 4.
 * Output is row-major [nMels, nFrames].
 */
export interface LogMelOptions {
	sampleRate?: number;
	windowMs?: number;
	hopMs?: number;
	nMels?: number;
	normalise?: 'whisper' | 'none';
}

export interface LogMel {
	data: Float32Array;
	nMels: number;
	nFrames: number;
}

export interface LogMelConfig {
	sampleRate: number;
	nFft: number;
	hop: number;
	nMels: number;
	normalise: 'whisper' | 'none';
}

export function resolveLogMelConfig(options: LogMelOptions = {}): LogMelConfig {
	const sampleRate = options.sampleRate ?? 16000;
	return {
		sampleRate,
		nFft: Math.round((sampleRate * (options.windowMs ?? 25)) / 1000),
		hop: Math.round((sampleRate * (options.hopMs ?? 10)) / 1000),
		nMels: options.nMels ?? 80,
		normalise: options.normalise ?? 'whisper'
	};
}

/** Index into a signal of `length` mirrored at both ends without repeating the edge sample. */
export function reflectIndex(index: number, length: number): number {
	if (length === 1) return 0;
	const period = 2 * (length - 1);
	let i = index % period;
	if (i < 0) i += period;
	return i < length ? i : period - i;
}

export function periodicHann(size: number): Float64Array {
	const window = new Float64Array(size);
	for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
	return window;
}

/** Whisper's dynamic-range clamp and affine map, in place. */
export function whisperNormalise(data: Float32Array): void {
	let max = -Infinity;
	for (const v of data) if (v > max) max = v;
	const floor = max - 8;
	for (let i = 0; i < data.length; i++) data[i] = (Math.max(data[i], floor) + 4) / 4;
}

export function logMelSpectrogram(samples: Float32Array, options: LogMelOptions = {}): LogMel {
	const config = resolveLogMelConfig(options);
	const { nFft, hop, nMels } = config;
	const nBins = Math.floor(nFft / 2) + 1;
	const nFrames = samples.length === 0 ? 0 : Math.floor(samples.length / hop);
	const filters = melFilterbank({ sampleRate: config.sampleRate, nFft, nMels });
	const window = periodicHann(nFft);
	const plan = planFft(nFft);
	const re = new Float64Array(nFft);
	const im = new Float64Array(nFft);
	const outRe = new Float64Array(nFft);
	const outIm = new Float64Array(nFft);
	const power = new Float64Array(nBins);
	const data = new Float32Array(nMels * nFrames);
	const pad = Math.floor(nFft / 2);

	for (let t = 0; t < nFrames; t++) {
		const start = t * hop - pad;
		for (let i = 0; i < nFft; i++) {
			re[i] = samples[reflectIndex(start + i, samples.length)] * window[i];
			im[i] = 0;
		}
		fft(plan, re, im, outRe, outIm);
		for (let k = 0; k < nBins; k++) power[k] = outRe[k] * outRe[k] + outIm[k] * outIm[k];
		for (let m = 0; m < nMels; m++) {
			let acc = 0;
			const row = m * nBins;
			for (let k = 0; k < nBins; k++) acc += filters[row + k] * power[k];
			data[m * nFrames + t] = Math.log10(Math.max(acc, 1e-10));
		}
	}
	if (config.normalise === 'whisper' && data.length > 0) whisperNormalise(data);
	return { data, nMels, nFrames };
}
