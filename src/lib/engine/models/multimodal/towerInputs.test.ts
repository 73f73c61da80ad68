import { describe, expect, it } from 'vitest';
import { seededValues } from './gradCheck';
import { lumaMatrix, meanColourMatrix } from './towerInputs';

/** rows x cols matrix times a vector, in float64. */
function apply(m: Float32Array, rows: number, x: Float32Array): number[] {
	const cols = x.length;
	return Array.from({ length: rows }, (_, r) => {
		let s = 0;
		for (let c = 0; c < cols; c++) s += m[r * cols + c] * x[c];
		return s;
	});
}

describe('picture streams', () => {
	const p = 4;
	const area = p * p;
	// One patch flattened as (channel, row, column).
	const patch = seededValues(3 * area, 21);

	it('the luma map gives BT.601 luma pixel by pixel', () => {
		const luma = apply(lumaMatrix(p), area, patch);
		for (let px = 0; px < area; px++) {
			const expected = 0.299 * patch[px] + 0.587 * patch[area + px] + 0.114 * patch[2 * area + px];
			expect(luma[px]).toBeCloseTo(expected, 6);
		}
	});

	it('the mean colour map averages each channel over the patch', () => {
		const means = apply(meanColourMatrix(p), 3, patch);
		for (let c = 0; c < 3; c++) {
			let sum = 0;
			for (let px = 0; px < area; px++) sum += patch[c * area + px];
			expect(means[c]).toBeCloseTo(sum / area, 6);
		}
	});
});
