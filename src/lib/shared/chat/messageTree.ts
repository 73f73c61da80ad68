/**
 * A conversation is a tree: regenerating an answer or editing a user turn adds a sibling instead of
 * overwriting, so earlier versions stay as branches. The page shows one path, root to a leaf.
 */

export interface TreeNode {
	id: string;
	parentId: string | null;
	createdAt: number;
}

/** Children of `parentId` (null: the roots), oldest first: the order branches are numbered in. */
export function childrenOf<T extends TreeNode>(nodes: readonly T[], parentId: string | null): T[] {
	return nodes.filter((n) => n.parentId === parentId).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** The messages from the root down to `leafId`; empty when it is unknown. Stops on a cycle. */
export function pathTo<T extends TreeNode>(nodes: readonly T[], leafId: string | null): T[] {
	const byId = new Map(nodes.map((n) => [n.id, n]));
	const path: T[] = [];
	const seen = new Set<string>();
	for (let node = leafId === null ? undefined : byId.get(leafId); node && !seen.has(node.id); node = node.parentId === null ? undefined : byId.get(node.parentId)) {
		seen.add(node.id);
		path.push(node);
	}
	return path.reverse();
}

/** Follows the newest child down from `id` to a leaf: where a branch switch lands. */
export function newestLeafUnder<T extends TreeNode>(nodes: readonly T[], id: string): string {
	let current = id;
	for (;;) {
		const children = childrenOf(nodes, current);
		if (children.length === 0) return current;
		current = children[children.length - 1].id;
	}
}

/** Where `node` stands among its siblings (1-based) and how many there are, for the "2 / 3" switch. */
export function branchPosition<T extends TreeNode>(nodes: readonly T[], node: T): { index: number; count: number; siblings: T[] } {
	const siblings = childrenOf(nodes, node.parentId);
	return { index: siblings.findIndex((s) => s.id === node.id) + 1, count: siblings.length, siblings };
}

/** The leaf to show after flipping `node` to its sibling `step` places away (wrapping), or null when it has none. */
export function flipBranch<T extends TreeNode>(nodes: readonly T[], node: T, step: number): string | null {
	const { index, count, siblings } = branchPosition(nodes, node);
	if (count < 2 || index === 0) return null;
	const target = siblings[(((index - 1 + step) % count) + count) % count];
	return newestLeafUnder(nodes, target.id);
}

/** The newest leaf of the whole tree, shown when a conversation opens without a remembered branch. */
export function newestLeaf<T extends TreeNode>(nodes: readonly T[]): string | null {
	const roots = childrenOf(nodes, null);
	return roots.length === 0 ? null : newestLeafUnder(nodes, roots[roots.length - 1].id);
}

/** Whether `ancestorId` lies on the path to `id` (or is it). */
export function isOnPath<T extends TreeNode>(nodes: readonly T[], id: string, ancestorId: string): boolean {
	return pathTo(nodes, id).some((n) => n.id === ancestorId);
}
