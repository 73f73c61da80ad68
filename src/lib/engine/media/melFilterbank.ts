import { hzToMel, melToHz } from './melScale';

export interface MelFilterbankOptions {
	sampleRate: number;
	nFft: number;
	nMels: number;
	fMin?: number;
	/** Defaults to the Nyquist rate. */
	fMax?: number;
}

/**
 * Triangular mel filters with Slaney area normalisation, matching
 * `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')`:
 * nMels + 2 edge frequencies evenly spaced in mel, filter i rising from edge i to edge i+1 and
 * falling to edge i+2 over the FFT bin frequencies k * sampleRate / nFft, then scaled by
 * 2 / (edge[i+2] - edge[i]) so each filter has roughly unit area in Hz.
 *
 * Returns row-major [nMels, nFft/2 + 1]. Computed in float64, stored in float32.
 */
export function melFilterbank(options: MelFilterbankOptions): Float32Array {
	const { sampleRate, nFft, nMels } = options;
	const fMin = options.fMin ?? 0;
	const fMax = options.fMax ?? sampleRate / 2;
	const nBins = Math.floor(nFft / 2) + 1;
	const melLo = hzToMel(fMin);
	const melHi = hzToMel(fMax);
	const edges = new Float64Array(nMels + 2);
	for (let i = 0; i < nMels + 2; i++) edges[i] = melToHz(melLo + ((melHi - melLo) * i) / (nMels + 1));

	const weights = new Float32Array(nMels * nBins);
	for (let m = 0; m < nMels; m++) {
		const left = edges[m];
		const centre = edges[m + 1];
		const right = edges[m + 2];
		const norm = 2 / (right - left);
		for (let k = 0; k < nBins; k++) {
			const freq = (k * sampleRate) / nFft;
			const rising = (freq - left) / (centre - left);
			const falling = (right - freq) / (right - centre);
			const w = Math.max(0, Math.min(rising, falling));
			weights[m * nBins + k] = w * norm;
		}
	}
	return weights;
}
