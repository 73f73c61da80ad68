import { describe, expect, it } from 'vitest';
import { evenFrameIndices } from './frameSampling';

describe('evenFrameIndices', () => {
	it('takes segment centres', () => {
		expect(evenFrameIndices(8, 4)).toEqual([1, 3, 5, 7]);
		expect(evenFrameIndices(100, 2)).toEqual([25, 75]);
		expect(evenFrameIndices(10, 1)).toEqual([5]);
	});

	it('repeats frames when the clip is shorter than the count', () => {
		expect(evenFrameIndices(2, 4)).toEqual([0, 0, 1, 1]);
		expect(evenFrameIndices(0, 3)).toEqual([]);
	});
});
