// Host-side preprocessing from decoded media to tower inputs. It runs once per file (the media
// pipeline caches the result), never per step, and involves no parameters, so no gradient.

import type { AudioConfig, VisionConfig } from './config';

/** Interleaves the bits of (x, y): the Z-order (Morton) index of a patch in a power-of-two grid. */
function zOrder(x: number, y: number): number {
	let z = 0;
	for (let bit = 0; bit < 16; bit++) z |= (((x >> bit) & 1) << (2 * bit)) | (((y >> bit) & 1) << (2 * bit + 1));
	return z;
}

/**
 * Subtracts each channel's median from [3, S, S] in place: pixels become relative to the image's
 * dominant (background) colour, so the patches that show an object are the ones that are not zero
 * and the mean over patches is about the object rather than the backdrop.
 */
export function centreOnMedian(image: Float32Array): Float32Array {
	const plane = image.length / 3;
	for (let c = 0; c < 3; c++) {
		const ch = image.subarray(c * plane, (c + 1) * plane);
		const sorted = Float32Array.from(ch).sort();
		const median = sorted[plane >> 1];
		for (let i = 0; i < plane; i++) ch[i] -= median;
	}
	return image;
}

/**
 * image [3, S, S] channel-first -> patches (N, 3 p^2), N = (S / p)^2, each patch flattened as
 * (channel, row, column). Patches are stored in Z-order, so every 2^k x 2^k window of patches is a
 * run of 4^k consecutive rows and the aligner merges neighbours with a reshape instead of a gather.
 */
export function patchify(image: Float32Array, v: VisionConfig): Float32Array {
	const S = v.image_size;
	const p = v.patch_size;
	if (image.length !== 3 * S * S) throw new Error(`engine: image of ${image.length} values is not [3, ${S}, ${S}]`);
	const G = S / p;
	const width = 3 * p * p;
	const out = new Float32Array(G * G * width);
	for (let gy = 0; gy < G; gy++) {
		for (let gx = 0; gx < G; gx++) {
			const base = zOrder(gx, gy) * width;
			for (let c = 0; c < 3; c++) {
				for (let y = 0; y < p; y++) {
					const src = c * S * S + (gy * p + y) * S + gx * p;
					out.set(image.subarray(src, src + p), base + (c * p + y) * p);
				}
			}
		}
	}
	return out;
}

/** ITU-R BT.601 luma weights of red, green and blue. */
const LUMA_WEIGHTS = [0.299, 0.587, 0.114];

/** (p^2, 3 p^2): a patch flattened as (channel, row, column) -> its luma, pixel by pixel. */
export function lumaMatrix(p: number): Float32Array {
	const area = p * p;
	const m = new Float32Array(area * 3 * area);
	for (let px = 0; px < area; px++) for (let c = 0; c < 3; c++) m[px * 3 * area + c * area + px] = LUMA_WEIGHTS[c];
	return m;
}

/** (3, 3 p^2): a patch flattened as (channel, row, column) -> its mean red, green and blue. */
export function meanColourMatrix(p: number): Float32Array {
	const area = p * p;
	const m = new Float32Array(3 * 3 * area);
	for (let c = 0; c < 3; c++) m.fill(1 / area, c * 3 * area + c * area, c * 3 * area + (c + 1) * area);
	return m;
}

/**
 * log-mel [mels, frames] -> stacked frames (max_frames / stack, stack * mels), time-major, the
 * subsampling layer's input. Longer clips are cut; shorter ones padded with the clip's minimum
 * (its quietest level, which after Whisper's normalisation stands for silence).
 */
export function stackAudioFrames(logMel: Float32Array, nMels: number, nFrames: number, a: AudioConfig): Float32Array {
	if (nMels !== a.num_mel_bins) throw new Error(`engine: ${nMels} mel bins, the audio tower takes ${a.num_mel_bins}`);
	let floor = Infinity;
	for (const v of logMel) if (v < floor) floor = v;
	if (!Number.isFinite(floor)) floor = 0;
	const out = new Float32Array(a.max_frames * nMels).fill(floor);
	const kept = Math.min(nFrames, a.max_frames);
	for (let f = 0; f < kept; f++) for (let m = 0; m < nMels; m++) out[f * nMels + m] = logMel[m * nFrames + f];
	return out;
}
