import sharp, { type OutputInfo, type Sharp } from 'sharp';
import { MediaError } from '../../engine/media/mediaError';
import { HALF_NORMALISATION, toChwTensor, type Normalisation } from '../../engine/media/imageTensor';
import { readSource, sourceName, type MediaSource } from './mediaSource';

/**
 * How an image of any size becomes the fixed target square:
 * - `letterbox` (default): scale to fit inside, keeping the aspect ratio, centre it, pad with zeros
 *   (zero is the mean colour after normalisation, so padding carries no signal);
 * - `stretch`: scale each axis to the target, distorting the aspect ratio;
 * - `crop`: scale to cover the target, then cut the centre.
 * Resampling uses sharp's Lanczos-3; EXIF orientation is applied first; transparency is flattened
 * onto the mean colour; only the first frame of an animated image is used.
 */
export type ResizePolicy = 'letterbox' | 'stretch' | 'crop';

export interface ImageOptions {
	/** Side of the square target in pixels; 224 by default. */
	size?: number;
	policy?: ResizePolicy;
	normalisation?: Normalisation;
}

/** Float32 [3, height, width], channel-first, normalised. */
export interface ImageTensor {
	data: Float32Array;
	channels: 3;
	height: number;
	width: number;
}

export const DEFAULT_IMAGE_SIZE = 224;

const FIT: Record<ResizePolicy, 'inside' | 'fill' | 'cover'> = { letterbox: 'inside', stretch: 'fill', crop: 'cover' };

type Rgb255 = { r: number; g: number; b: number };

/** Resizes a sharp input to fit the policy, as interleaved 8-bit RGB. */
function resized(input: Sharp, size: number, policy: ResizePolicy, background: Rgb255) {
	return input
		.rotate()
		.flatten({ background })
		.resize(size, size, { fit: FIT[policy], kernel: 'lanczos3' })
		.toColourspace('srgb')
		.removeAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
}

function targetOf(options: ImageOptions) {
	const size = options.size ?? DEFAULT_IMAGE_SIZE;
	const norm = options.normalisation ?? HALF_NORMALISATION;
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`image size must be a positive integer, got ${size}`);
	return { size, norm, policy: options.policy ?? 'letterbox', background: { r: norm.mean[0] * 255, g: norm.mean[1] * 255, b: norm.mean[2] * 255 } };
}

function tensorOf(file: string, { data, info }: { data: Buffer; info: OutputInfo }, size: number, norm: Normalisation): ImageTensor {
	if (info.channels !== 3) throw new MediaError(file, 'unsupported', `decoded to ${info.channels} channels, expected RGB`);
	const tensor = toChwTensor({ rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }, size, size, norm);
	return { data: tensor, channels: 3, height: size, width: size };
}

export async function loadImageTensor(source: MediaSource, options: ImageOptions = {}): Promise<ImageTensor> {
	const file = sourceName(source);
	const { size, norm, policy, background } = targetOf(options);
	const bytes = await readSource(source);
	let decoded: Awaited<ReturnType<typeof resized>>;
	try {
		decoded = await resized(sharp(bytes, { failOn: 'error' }), size, policy, background);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const kind = /unsupported image format/i.test(message) ? 'unsupported' : 'corrupt';
		throw new MediaError(file, kind, kind === 'unsupported' ? 'not an image format that can be decoded' : `cannot decode image: ${message}`);
	}
	return tensorOf(file, decoded, size, norm);
}

/** Interleaved 8-bit RGB pixels already decoded (a video frame). */
export interface RgbPixels {
	rgb: Uint8Array;
	width: number;
	height: number;
}

/** Decoded pixels through the same resize and normalisation as loadImageTensor, so a frame and the same picture as a file match. */
export async function pixelsTensor(pixels: RgbPixels, name: string, options: ImageOptions = {}): Promise<ImageTensor> {
	const { size, norm, policy, background } = targetOf(options);
	const input = sharp(pixels.rgb, { raw: { width: pixels.width, height: pixels.height, channels: 3 } });
	return tensorOf(name, await resized(input, size, policy, background), size, norm);
}
