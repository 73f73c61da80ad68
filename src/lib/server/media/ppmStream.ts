import type { RgbPixels } from './image';

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Splits concatenated binary PPM images (ffmpeg's `image2pipe` with the `ppm` codec) into their RGB
 * pixels: each is `P6`, width, height and maxval 255 as ASCII separated by whitespace, one whitespace
 * byte, then width * height * 3 bytes. No pixels are copied.
 */
export function splitPpmStream(bytes: Uint8Array): RgbPixels[] {
	const frames: RgbPixels[] = [];
	let at = 0;
	const field = (): number => {
		while (at < bytes.length && WHITESPACE.has(bytes[at])) at++;
		const start = at;
		while (at < bytes.length && bytes[at] >= 0x30 && bytes[at] <= 0x39) at++;
		if (at === start) throw new Error(`PPM stream: expected a number at byte ${start}`);
		return Number(String.fromCharCode(...bytes.subarray(start, at)));
	};
	while (at < bytes.length) {
		if (bytes[at] !== 0x50 || bytes[at + 1] !== 0x36) throw new Error(`PPM stream: no P6 signature at byte ${at}`);
		at += 2;
		const width = field();
		const height = field();
		const maxval = field();
		if (maxval !== 255) throw new Error(`PPM stream: maxval ${maxval}, expected 255`);
		at++;
		const end = at + width * height * 3;
		if (end > bytes.length) throw new Error('PPM stream: truncated pixels');
		frames.push({ rgb: bytes.subarray(at, end), width, height });
		at = end;
	}
	return frames;
}
