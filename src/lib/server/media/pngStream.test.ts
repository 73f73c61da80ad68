import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { splitPngStream } from './pngStream';

describe('splitPngStream', () => {
	it('splits concatenated PNG files at their IEND chunks', async () => {
		const a = await sharp({ create: { width: 3, height: 2, channels: 3, background: '#ff0000' } }).png().toBuffer();
		const b = await sharp({ create: { width: 5, height: 5, channels: 4, background: '#00ff0080' } }).png().toBuffer();
		const parts = splitPngStream(new Uint8Array(Buffer.concat([a, b, a])));
		expect(parts.map((p) => p.length)).toEqual([a.length, b.length, a.length]);
		expect(Buffer.from(parts[1]).equals(b)).toBe(true);
		expect(splitPngStream(new Uint8Array(0))).toEqual([]);
		expect(() => splitPngStream(new Uint8Array(a.subarray(0, a.length - 6)))).toThrow(/truncated/);
	});
});
