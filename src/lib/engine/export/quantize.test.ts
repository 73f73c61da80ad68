import { describe, expect, it } from 'vitest';
import { quantizeColumns } from './quantize';

describe('int8 column quantisation', () => {
	it('keeps every weight within half a step of its column scale, and a zero column at zero', () => {
		// (3, 3): column 0 large, column 1 small, column 2 all zero.
		const t = Float32Array.of(10, 0.01, 0, -4, -0.02, 0, 2.5, 0.005, 0);
		const q = quantizeColumns(t, 3, 3);
		expect(Array.from(q.scales)).toEqual([Math.fround(10 / 127), Math.fround(0.02 / 127), 1]);
		expect(Array.from(q.values.filter((_, i) => i % 3 === 0))).toEqual([127, -51, 32]);
		expect(q.values[4]).toBe(-127);
		for (let i = 0; i < t.length; i++) expect(Math.abs(q.values[i] * q.scales[i % 3] - t[i])).toBeLessThanOrEqual(q.scales[i % 3] / 2 + 1e-9);
	});
});
