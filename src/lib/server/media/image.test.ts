import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImageTensor } from './image';

let dir: string;

/** An 8x4 PNG: left half red, right half blue. */
async function halvesPng(): Promise<Buffer> {
	const raw = Buffer.alloc(8 * 4 * 3);
	for (let y = 0; y < 4; y++) {
		for (let x = 0; x < 8; x++) raw.set(x < 4 ? [255, 0, 0] : [0, 0, 255], (y * 8 + x) * 3);
	}
	return sharp(raw, { raw: { width: 8, height: 4, channels: 3 } }).png().toBuffer();
}

/** Pixel (x, y) of a [3, H, W] tensor as [r, g, b]. */
function pixel(data: Float32Array, size: number, x: number, y: number): number[] {
	return [0, 1, 2].map((c) => Math.round(data[c * size * size + y * size + x] * 1000) / 1000);
}

beforeAll(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'media-image-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('loadImageTensor', () => {
	it('letterboxes a wide PNG into a centred band with zero padding (golden pixels)', async () => {
		const file = path.join(dir, 'halves.png');
		await writeFile(file, await halvesPng());
		const t = await loadImageTensor(file, { size: 4 });
		expect(t).toMatchObject({ channels: 3, height: 4, width: 4 });
		expect(t.data.length).toBe(48);
		// 8x4 fits 4x4 as 4x2, centred on rows 1 and 2; rows 0 and 3 are padding.
		for (const y of [0, 3]) for (let x = 0; x < 4; x++) expect(pixel(t.data, 4, x, y)).toEqual([0, 0, 0]);
		for (const y of [1, 2]) {
			expect(pixel(t.data, 4, 0, y)).toEqual(GOLDEN_ROW[0]);
			expect(pixel(t.data, 4, 1, y)).toEqual(GOLDEN_ROW[1]);
			expect(pixel(t.data, 4, 2, y)).toEqual(GOLDEN_ROW[2]);
			expect(pixel(t.data, 4, 3, y)).toEqual(GOLDEN_ROW[3]);
		}
	});

	it('stretches and crops a solid image to exact colours', async () => {
		const png = await sharp({ create: { width: 30, height: 10, channels: 3, background: { r: 255, g: 0, b: 0 } } }).png().toBuffer();
		for (const policy of ['stretch', 'crop'] as const) {
			const t = await loadImageTensor({ bytes: png, name: 'red.png' }, { size: 6, policy });
			for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) expect(pixel(t.data, 6, x, y)).toEqual([1, -1, -1]);
		}
	});

	it('decodes JPEG and WebP as well', async () => {
		const base = sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 255, b: 0 } } });
		for (const bytes of [await base.clone().jpeg().toBuffer(), await base.clone().webp({ lossless: true }).toBuffer()]) {
			const t = await loadImageTensor({ bytes, name: 'green' }, { size: 8 });
			const [r, g, b] = pixel(t.data, 8, 4, 4);
			expect(r).toBeLessThan(-0.9);
			expect(g).toBeGreaterThan(0.9);
			expect(b).toBeLessThan(-0.9);
		}
	});

	it('names the file when it is corrupt, truncated, not an image, or missing', async () => {
		const garbage = path.join(dir, 'garbage.png');
		await writeFile(garbage, 'this is not a png');
		await expect(loadImageTensor(garbage)).rejects.toThrow(`${garbage}: not an image format`);
		const truncated = path.join(dir, 'truncated.png');
		await writeFile(truncated, (await halvesPng()).subarray(0, 40));
		await expect(loadImageTensor(truncated)).rejects.toThrow(truncated);
		await expect(loadImageTensor(path.join(dir, 'missing.png'))).rejects.toThrow(/missing\.png: cannot read file \(ENOENT\)/);
	});
});

/**
 * Recorded output of Lanczos-3 halving the red/blue step, as bytes: pure colours at the outer
 * columns, a little of the other colour mixed in next to the edge. Tensor value = byte / 127.5 - 1.
 */
const GOLDEN_ROW_BYTES = [
	[255, 0, 0],
	[241, 0, 14],
	[14, 0, 241],
	[0, 0, 255]
];
const GOLDEN_ROW = GOLDEN_ROW_BYTES.map((rgb) => rgb.map((b) => Math.round((b / 127.5 - 1) * 1000) / 1000));
