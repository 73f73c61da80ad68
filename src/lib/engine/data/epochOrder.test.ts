import { describe, expect, it } from 'vitest';
import { batchIndices, epochOrder } from './epochOrder';

describe('epochOrder', () => {
	it('is a permutation fixed by seed and epoch, different across epochs', () => {
		const first = epochOrder(100, 42, 0);
		expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
		expect(epochOrder(100, 42, 0)).toEqual(first);
		expect(epochOrder(100, 42, 1)).not.toEqual(first);
		expect(epochOrder(100, 43, 0)).not.toEqual(first);
	});

	it('keeps dataset order when shuffling is off and handles tiny datasets', () => {
		expect([...epochOrder(4, 1, 5, false)]).toEqual([0, 1, 2, 3]);
		expect(epochOrder(0, 1, 0)).toHaveLength(0);
		expect([...epochOrder(1, 1, 0)]).toEqual([0]);
	});
});

describe('batchIndices', () => {
	it('splits an order into batches, keeping or dropping the short tail', () => {
		const order = [4, 2, 0, 1, 3];
		expect(batchIndices(order, 2)).toEqual([[4, 2], [0, 1], [3]]);
		expect(batchIndices(order, 2, true)).toEqual([
			[4, 2],
			[0, 1]
		]);
		expect(() => batchIndices(order, 0)).toThrow(RangeError);
	});
});
