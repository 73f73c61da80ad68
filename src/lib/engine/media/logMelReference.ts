import { hzToMel, melToHz } from './melScale';
import { periodicHann, reflectIndex } from './logMel';

/**
 * Float64 reference for the log-mel pipeline, written the slow, obvious way so tests can check the
 * fast path against it: the filterbank in librosa's "ramps" form and a direct O(N^2) DFT.
 */
export function melFilterbankReference(sampleRate: number, nFft: number, nMels: number): Float64Array[] {
	const nBins = Math.floor(nFft / 2) + 1;
	const melMax = hzToMel(sampleRate / 2);
	const edges: number[] = [];
	for (let i = 0; i < nMels + 2; i++) edges.push(melToHz((melMax * i) / (nMels + 1)));
	const rows: Float64Array[] = [];
	for (let i = 0; i < nMels; i++) {
		const row = new Float64Array(nBins);
		const lowerWidth = edges[i + 1] - edges[i];
		const upperWidth = edges[i + 2] - edges[i + 1];
		for (let k = 0; k < nBins; k++) {
			const freq = (sampleRate / nFft) * k;
			const lower = -(edges[i] - freq) / lowerWidth;
			const upper = (edges[i + 2] - freq) / upperWidth;
			row[k] = (Math.max(0, Math.min(lower, upper)) * 2) / (edges[i + 2] - edges[i]);
		}
		rows.push(row);
	}
	return rows;
}

/** Unnormalised log10 mel energies, [nMels][nFrames], with the same framing as logMelSpectrogram. */
export function logMelReference(samples: Float32Array, sampleRate: number, nFft: number, hop: number, nMels: number): Float64Array[] {
	const filters = melFilterbankReference(sampleRate, nFft, nMels);
	const window = periodicHann(nFft);
	const nBins = Math.floor(nFft / 2) + 1;
	const nFrames = Math.floor(samples.length / hop);
	const out = Array.from({ length: nMels }, () => new Float64Array(nFrames));
	const frame = new Float64Array(nFft);
	for (let t = 0; t < nFrames; t++) {
		for (let i = 0; i < nFft; i++) frame[i] = samples[reflectIndex(t * hop - nFft / 2 + i, samples.length)] * window[i];
		const power = new Float64Array(nBins);
		for (let k = 0; k < nBins; k++) {
			let re = 0;
			let im = 0;
			for (let i = 0; i < nFft; i++) {
				const angle = (-2 * Math.PI * k * i) / nFft;
				re += frame[i] * Math.cos(angle);
				im += frame[i] * Math.sin(angle);
			}
			power[k] = re * re + im * im;
		}
		for (let m = 0; m < nMels; m++) {
			let acc = 0;
			for (let k = 0; k < nBins; k++) acc += filters[m][k] * power[k];
			out[m][t] = Math.log10(Math.max(acc, 1e-10));
		}
	}
	return out;
}
