/**
 * First-fit bin assignment in O(n log n): a tournament tree over the bins' free space finds the
 * leftmost bin with room in log time, where a linear scan would make packing a large dataset quadratic.
 */
export function assignFirstFit(sizes: readonly number[], capacity: number): number[][] {
	let leaves = 1;
	while (leaves < Math.max(1, sizes.length)) leaves *= 2;
	// tree[1] is the root; leaf i (a bin) sits at tree[leaves + i]. Every bin starts empty.
	const tree = new Float64Array(2 * leaves).fill(capacity);
	const bins: number[][] = [];

	const leftmostWithRoom = (size: number): number => {
		let node = 1;
		while (node < leaves) node = tree[2 * node] >= size ? 2 * node : 2 * node + 1;
		return node - leaves;
	};
	const take = (bin: number, size: number): void => {
		let node = leaves + bin;
		tree[node] -= size;
		for (node >>= 1; node >= 1; node >>= 1) tree[node] = Math.max(tree[2 * node], tree[2 * node + 1]);
	};

	sizes.forEach((size, item) => {
		if (size > capacity) throw new RangeError(`item ${item} of size ${size} exceeds capacity ${capacity}`);
		const bin = leftmostWithRoom(size);
		take(bin, size);
		(bins[bin] ??= []).push(item);
	});
	return bins;
}
