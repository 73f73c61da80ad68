// Host-side preprocessing from decoded media to tower inputs. It runs once per file (the media
// pipeline caches the result), never per step, and involves no parameters, so no gradient.

import { patchCount, type AudioConfig, type VisionConfig } from './config';

/** Interleaves the bits of (x, y): the Z-order (Morton) index of a patch in a power-of-two grid. */
function zOrder(x: number, y: number): number {
	let z = 0;
	for (let bit = 0; bit < 16; bit++) z |= (((x >> bit) & 1) << (2 * bit)) | (((y >> bit) & 1) << (2 * bit + 1));
	return z;
}

/**
 * The k-th smallest value (0-based) of values, which it reorders: Hoare's selection, linear on
 * average where a sort is n log n, and every picture and video frame is centred on three medians.
 */
export function kthSmallest(values: Float32Array, k: number): number {
	let lo = 0;
	let hi = values.length - 1;
	while (lo < hi) {
		const pivot = values[(lo + hi) >> 1];
		let i = lo;
		let j = hi;
		while (i <= j) {
			while (values[i] < pivot) i++;
			while (values[j] > pivot) j--;
			if (i <= j) {
				const t = values[i];
				values[i++] = values[j];
				values[j--] = t;
			}
		}
		if (k <= j) hi = j;
		else if (k >= i) lo = i;
		else return values[k];
	}
	return values[k];
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
		const median = kthSmallest(Float32Array.from(ch), plane >> 1);
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

/** Values of vision input per picture (an image or a video frame): N luma patches of p^2, then N mean colours. */
export function pictureInputSize(v: VisionConfig): number {
	return patchCount(v) * (v.patch_size ** 2 + 3);
}

/**
 * How much the mean colours are scaled against the luma. Adam moves the colour map's weights by the
 * same step whatever their input's size, so a larger input makes colour a larger part of each aligned
 * feature; at 1 the decoder learned to read form and then stopped reading colour (demo set: picture
 * colour 0.21 against 1.00 at 4).
 */
export const COLOUR_SCALE = 4;

/**
 * image [3, S, S] channel-first, centred on its background -> each patch's luma (N, p^2) with the
 * patch's own mean luma taken out, Z-ordered like patchify, then each patch's mean red, green and
 * blue (N, 3) times COLOUR_SCALE.
 *
 * The vision tower reads the luma; the colour goes around it to the aligner (see visionTower.ts for
 * why). Taking out each patch's mean leaves the tower only what varies inside a patch, the edges and
 * corners that make a shape, while how much of the patch an object covers travels with the colour.
 * Given the mean as well, the tower spent itself on where things are and how many: with position,
 * count and colour asked beside shape, a linear probe on the tower read shape at 0.49 after 400
 * updates with the mean and 0.71 without (0.94 with shape alone).
 */
export function pictureInput(image: Float32Array, v: VisionConfig): Float32Array {
	const patches = patchify(image, v);
	const area = v.patch_size ** 2;
	const N = patchCount(v);
	const out = new Float32Array(pictureInputSize(v));
	for (let n = 0; n < N; n++) {
		const patch = patches.subarray(n * 3 * area, (n + 1) * 3 * area);
		const luma = out.subarray(n * area, (n + 1) * area);
		let lumaSum = 0;
		for (let px = 0; px < area; px++) {
			luma[px] = LUMA_WEIGHTS[0] * patch[px] + LUMA_WEIGHTS[1] * patch[area + px] + LUMA_WEIGHTS[2] * patch[2 * area + px];
			lumaSum += luma[px];
		}
		for (let px = 0; px < area; px++) luma[px] -= lumaSum / area;
		for (let c = 0; c < 3; c++) {
			let sum = 0;
			for (let px = 0; px < area; px++) sum += patch[c * area + px];
			out[N * area + n * 3 + c] = (COLOUR_SCALE * sum) / area;
		}
	}
	return out;
}

/** Picture inputs back to back -> every picture's luma patches, and every picture's mean colours, each in picture order. */
export function splitPictures(data: Float32Array, v: VisionConfig): { luma: Float32Array; colours: Float32Array } {
	const per = pictureInputSize(v);
	const lumaSize = patchCount(v) * v.patch_size ** 2;
	const pictures = data.length / per;
	const luma = new Float32Array(pictures * lumaSize);
	const colours = new Float32Array(pictures * (per - lumaSize));
	for (let i = 0; i < pictures; i++) {
		luma.set(data.subarray(i * per, i * per + lumaSize), i * lumaSize);
		colours.set(data.subarray(i * per + lumaSize, (i + 1) * per), i * (per - lumaSize));
	}
	return { luma, colours };
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
