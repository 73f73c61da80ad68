import { fft, planFft, type FftPlan } from './fft';
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

/**
 * Each mel filter's nonzero bins [start, end) as pairs: a triangle covers a handful of the 201 bins
 * (391 weights of 16,080 at 80 mels), and the zeros added nothing to the sums.
 */
function filterBands(filters: Float32Array, nMels: number, nBins: number): Int32Array {
	const bands = new Int32Array(2 * nMels);
	for (let m = 0; m < nMels; m++) {
		let start = 0;
		let end = 0;
		for (let k = 0; k < nBins; k++) {
			if (filters[m * nBins + k] === 0) continue;
			if (end === 0) start = k;
			end = k + 1;
		}
		bands[2 * m] = start;
		bands[2 * m + 1] = end;
	}
	return bands;
}

interface LogMelTables {
	filters: Float32Array;
	bands: Int32Array;
	window: Float64Array;
	plan: FftPlan;
}

/** Filterbank, window and FFT plan per setting: making them costs about as much as a second of audio. */
const tables = new Map<string, LogMelTables>();

function tablesFor(sampleRate: number, nFft: number, nMels: number): LogMelTables {
	const key = `${sampleRate}/${nFft}/${nMels}`;
	let t = tables.get(key);
	if (!t) {
		const filters = melFilterbank({ sampleRate, nFft, nMels });
		t = { filters, bands: filterBands(filters, nMels, Math.floor(nFft / 2) + 1), window: periodicHann(nFft), plan: planFft(nFft) };
		tables.set(key, t);
	}
	return t;
}

export function logMelSpectrogram(samples: Float32Array, options: LogMelOptions = {}): LogMel {
	const config = resolveLogMelConfig(options);
	const { nFft, hop, nMels } = config;
	const nBins = Math.floor(nFft / 2) + 1;
	const nFrames = samples.length === 0 ? 0 : Math.floor(samples.length / hop);
	const { filters, bands, window, plan } = tablesFor(config.sampleRate, nFft, nMels);
	const re = new Float64Array(nFft);
	const im = new Float64Array(nFft);
	const outRe = new Float64Array(nFft);
	const outIm = new Float64Array(nFft);
	const powers = [new Float64Array(nBins), new Float64Array(nBins)];
	const data = new Float32Array(nMels * nFrames);
	const pad = Math.floor(nFft / 2);
	const windowed = (t: number, into: Float64Array) => {
		const start = t * hop - pad;
		// Only the frames at either end reach past the signal and need mirrored indices.
		if (start >= 0 && start + nFft <= samples.length) for (let i = 0; i < nFft; i++) into[i] = samples[start + i] * window[i];
		else for (let i = 0; i < nFft; i++) into[i] = samples[reflectIndex(start + i, samples.length)] * window[i];
	};

	// Frames are real, so one complex FFT transforms two of them: frame t as the real part, frame
	// t + 1 as the imaginary part, pulled apart by the DFT's conjugate symmetry. Half the FFTs, which
	// are most of the work.
	for (let t = 0; t < nFrames; t += 2) {
		const pair = t + 1 < nFrames;
		windowed(t, re);
		if (pair) windowed(t + 1, im);
		else im.fill(0);
		fft(plan, re, im, outRe, outIm);
		for (let k = 0; k < nBins; k++) {
			const j = k === 0 ? 0 : nFft - k;
			// X_t[k] = (Z[k] + conj Z[N-k]) / 2, X_t+1[k] = (Z[k] - conj Z[N-k]) / 2i.
			const sumRe = outRe[k] + outRe[j];
			const difRe = outRe[k] - outRe[j];
			const sumIm = outIm[k] + outIm[j];
			const difIm = outIm[k] - outIm[j];
			powers[0][k] = (sumRe * sumRe + difIm * difIm) / 4;
			powers[1][k] = (sumIm * sumIm + difRe * difRe) / 4;
		}
		for (let f = 0; f < (pair ? 2 : 1); f++) {
			const power = powers[f];
			for (let m = 0; m < nMels; m++) {
				let acc = 0;
				const row = m * nBins;
				for (let k = bands[2 * m]; k < bands[2 * m + 1]; k++) acc += filters[row + k] * power[k];
				data[m * nFrames + t + f] = Math.log10(Math.max(acc, 1e-10));
			}
		}
	}
	if (config.normalise === 'whisper' && data.length > 0) whisperNormalise(data);
	return { data, nMels, nFrames };
}
