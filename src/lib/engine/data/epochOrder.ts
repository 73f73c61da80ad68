import { SeededRandom } from './seededRandom';

/**
 * The order in which an epoch visits a dataset: a permutation fixed by (seed, epoch) alone, so a run
 * resumed in the middle of epoch 3 rebuilds epoch 3's order without replaying earlier epochs.
 */
export function epochOrder(datasetSize: number, seed: number, epoch: number, shuffle = true): Uint32Array {
	if (!Number.isInteger(datasetSize) || datasetSize < 0) {
		throw new RangeError(`datasetSize must be a non-negative integer, got ${datasetSize}`);
	}
	const order = new Uint32Array(datasetSize).map((_, i) => i);
	if (!shuffle) return order;
	const random = new SeededRandom(seed, epoch);
	for (let i = order.length - 1; i > 0; i--) {
		const j = random.nextInt(i + 1);
		const swap = order[i];
		order[i] = order[j];
		order[j] = swap;
	}
	return order;
}

/** Splits an order into batches of indices; the last short batch is kept unless dropLast. */
export function batchIndices(order: ArrayLike<number>, batchSize: number, dropLast = false): number[][] {
	if (!Number.isInteger(batchSize) || batchSize < 1) {
		throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
	}
	const batches: number[][] = [];
	for (let start = 0; start < order.length; start += batchSize) {
		const end = Math.min(start + batchSize, order.length);
		if (dropLast && end - start < batchSize) break;
		batches.push(Array.from({ length: end - start }, (_, k) => order[start + k]));
	}
	return batches;
}
