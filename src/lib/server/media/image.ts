import sharp from 'sharp';
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

/** Decodes any format sharp reads and resizes to fit the policy, as interleaved 8-bit RGB. */
function decodeResized(bytes: Uint8Array, size: number, policy: ResizePolicy, background: Rgb255) {
	return sharp(bytes, { failOn: 'error' })
		.rotate()
		.flatten({ background })
		.resize(size, size, { fit: FIT[policy], kernel: 'lanczos3' })
		.toColourspace('srgb')
		.removeAlpha()
		.raw()
		.toBuffer({ resolveWithObject: true });
}

export async function loadImageTensor(source: MediaSource, options: ImageOptions = {}): Promise<ImageTensor> {
	const file = sourceName(source);
	const size = options.size ?? DEFAULT_IMAGE_SIZE;
	const norm = options.normalisation ?? HALF_NORMALISATION;
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`image size must be a positive integer, got ${size}`);
	const bytes = await readSource(source);
	const background = { r: norm.mean[0] * 255, g: norm.mean[1] * 255, b: norm.mean[2] * 255 };
	let decoded: Awaited<ReturnType<typeof decodeResized>>;
	try {
		decoded = await decodeResized(bytes, size, options.policy ?? 'letterbox', background);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const kind = /unsupported image format/i.test(message) ? 'unsupported' : 'corrupt';
		throw new MediaError(file, kind, kind === 'unsupported' ? 'not an image format that can be decoded' : `cannot decode image: ${message}`);
	}
	const { data, info } = decoded;
	if (info.channels !== 3) throw new MediaError(file, 'unsupported', `decoded to ${info.channels} channels, expected RGB`);
	const tensor = toChwTensor({ rgb: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height }, size, size, norm);
	return { data: tensor, channels: 3, height: size, width: size };
}
