import { describe, expect, it } from 'vitest';
import { branchPosition, childrenOf, flipBranch, isOnPath, newestLeaf, newestLeafUnder, pathTo } from './messageTree';

// u1 -> a1 -> u2 -> a2
//          -> u2b -> a2b, a2c (regenerated)
//    -> a1b (regenerated first answer)
const node = (id: string, parentId: string | null, createdAt: number) => ({ id, parentId, createdAt });
const nodes = [
	node('u1', null, 1),
	node('a1', 'u1', 2),
	node('u2', 'a1', 3),
	node('a2', 'u2', 4),
	node('a1b', 'u1', 5),
	node('u2b', 'a1', 6),
	node('a2b', 'u2b', 7),
	node('a2c', 'u2b', 8)
];

describe('message tree', () => {
	it('walks from the root to a leaf', () => {
		expect(pathTo(nodes, 'a2').map((n) => n.id)).toEqual(['u1', 'a1', 'u2', 'a2']);
		expect(pathTo(nodes, 'a2c').map((n) => n.id)).toEqual(['u1', 'a1', 'u2b', 'a2c']);
		expect(pathTo(nodes, 'missing')).toEqual([]);
		expect(pathTo(nodes, null)).toEqual([]);
	});

	it('orders siblings oldest first and numbers them', () => {
		expect(childrenOf(nodes, 'u1').map((n) => n.id)).toEqual(['a1', 'a1b']);
		expect(branchPosition(nodes, nodes[5])).toMatchObject({ index: 2, count: 2 });
		expect(branchPosition(nodes, nodes[0])).toMatchObject({ index: 1, count: 1 });
	});

	it('flips to a sibling branch and lands on its newest leaf', () => {
		// Editing u2 made u2b: flipping back from u2b shows the first version's answer.
		expect(flipBranch(nodes, nodes[5], -1)).toBe('a2');
		expect(flipBranch(nodes, nodes[2], 1)).toBe('a2c');
		// Wraps around.
		expect(flipBranch(nodes, nodes[5], 1)).toBe('a2');
		expect(flipBranch(nodes, nodes[1], 1)).toBe('a1b');
		expect(flipBranch(nodes, nodes[0], 1)).toBeNull();
	});

	it('finds the newest leaf', () => {
		expect(newestLeafUnder(nodes, 'a1')).toBe('a2c');
		expect(newestLeaf(nodes)).toBe('a1b');
		expect(newestLeaf([])).toBeNull();
	});

	it('survives a cycle in corrupt data', () => {
		const looped = [node('x', 'y', 1), node('y', 'x', 2)];
		expect(pathTo(looped, 'x').map((n) => n.id)).toEqual(['y', 'x']);
		expect(isOnPath(nodes, 'a2c', 'u2b')).toBe(true);
		expect(isOnPath(nodes, 'a2', 'u2b')).toBe(false);
	});
});
