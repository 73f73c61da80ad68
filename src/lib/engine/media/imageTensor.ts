/**
 * Turns decoded pixels into the tensor a vision tower takes: float32, channel-first [3, H, W],
 * value (pixel / 255 - mean[c]) / std[c].
 */
export interface Normalisation {
	mean: readonly [number, number, number];
	std: readonly [number, number, number];
}

/** Maps [0, 255] to [-1, 1]: the SigLIP / Qwen-VL style default. */
export const HALF_NORMALISATION: Normalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** The CLIP statistics, for towers trained with them. */
export const CLIP_NORMALISATION: Normalisation = {
	mean: [0.48145466, 0.4578275, 0.40821073],
	std: [0.26862954, 0.26130258, 0.27577711]
};

export interface PixelBlock {
	/** Interleaved RGB bytes, row-major, `width * height * 3` long. */
	rgb: Uint8Array;
	width: number;
	height: number;
}

/**
 * Places `block` centred in a zero tensor [3, targetHeight, targetWidth]. Padding is exactly 0 after
 * normalisation (the mean colour), so it carries no signal whatever statistics are used. A block the
 * same size as the target fills it.
 */
export function toChwTensor(block: PixelBlock, targetWidth: number, targetHeight: number, norm: Normalisation): Float32Array {
	const { rgb, width, height } = block;
	if (width > targetWidth || height > targetHeight) {
		throw new RangeError(`a ${width}x${height} block does not fit a ${targetWidth}x${targetHeight} tensor`);
	}
	const plane = targetWidth * targetHeight;
	const out = new Float32Array(3 * plane);
	const left = Math.floor((targetWidth - width) / 2);
	const top = Math.floor((targetHeight - height) / 2);
	for (let c = 0; c < 3; c++) {
		const scale = 1 / (255 * norm.std[c]);
		const shift = norm.mean[c] / norm.std[c];
		for (let y = 0; y < height; y++) {
			const outRow = c * plane + (top + y) * targetWidth + left;
			const inRow = y * width * 3 + c;
			for (let x = 0; x < width; x++) out[outRow + x] = rgb[inRow + x * 3] * scale - shift;
		}
	}
	return out;
}

/** Size of the largest box with the source aspect ratio that fits the target (at least 1x1). */
export function fitInside(width: number, height: number, targetWidth: number, targetHeight: number): { width: number; height: number } {
	const scale = Math.min(targetWidth / width, targetHeight / height);
	return {
		width: Math.max(1, Math.min(targetWidth, Math.round(width * scale))),
		height: Math.max(1, Math.min(targetHeight, Math.round(height * scale)))
	};
}
