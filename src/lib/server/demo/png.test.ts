import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createCanvas, fillShape, circle } from './canvas';
import { encodePng } from './png';

describe('encodePng', () => {
	it('writes a PNG that decodes back to the same pixels', async () => {
		const canvas = createCanvas(9, 7, [250, 250, 250]);
		fillShape(canvas, circle(4.5, 3.5, 3), [200, 20, 40]);
		const { data, info } = await sharp(encodePng(canvas)).raw().toBuffer({ resolveWithObject: true });
		expect(info).toMatchObject({ width: 9, height: 7, channels: 3 });
		expect(Buffer.from(canvas.rgb).equals(data)).toBe(true);
		// The centre is fully covered, the corner untouched, the rim blended.
		expect([...canvas.rgb.subarray((3 * 9 + 4) * 3, (3 * 9 + 4) * 3 + 3)]).toEqual([200, 20, 40]);
		expect([...canvas.rgb.subarray(0, 3)]).toEqual([250, 250, 250]);
	});
});
