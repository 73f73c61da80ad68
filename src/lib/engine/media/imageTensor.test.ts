import { describe, expect, it } from 'vitest';
import { HALF_NORMALISATION, fitInside, toChwTensor } from './imageTensor';

describe('toChwTensor', () => {
	it('normalises into channel-first planes and centres a smaller block with zero padding', () => {
		// 2x1 block: red, then white.
		const rgb = Uint8Array.from([255, 0, 0, 255, 255, 255]);
		const t = toChwTensor({ rgb, width: 2, height: 1 }, 2, 3, HALF_NORMALISATION);
		expect([...t]).toEqual([0, 0, 1, 1, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, -1, 1, 0, 0]);
	});

	it('fits a box inside the target keeping the aspect ratio', () => {
		expect(fitInside(640, 480, 224, 224)).toEqual({ width: 224, height: 168 });
		expect(fitInside(10, 1000, 224, 224)).toEqual({ width: 2, height: 224 });
	});
});
