import type { DemoItem } from './demoItem';
import type { Rng } from './rng';

/**
 * Draws items until `count` distinct (media, question) pairs exist. Synthetic scenes repeat now and
 * then; a repeat adds nothing and would let one pair land in both splits, so it is drawn again.
 */
export function drawUnique(count: number, rng: Rng, make: (rng: Rng) => DemoItem): DemoItem[] {
	const seen = new Set<string>();
	const items: DemoItem[] = [];
	const maxAttempts = count * 20 + 100;
	for (let attempt = 0; items.length < count && attempt < maxAttempts; attempt++) {
		const item = make(rng);
		const pair = `${item.key}\n${item.question}`;
		if (seen.has(pair)) continue;
		seen.add(pair);
		items.push(item);
	}
	if (items.length < count) throw new Error(`demo data: only ${items.length} distinct items could be drawn, ${count} were asked for`);
	return items;
}

export interface Split {
	train: DemoItem[];
	val: DemoItem[];
}

/**
 * Splits by media, not by row: every question about one picture, clip or video lands in the same
 * split, so the held-out set never shows the model media it was trained on.
 */
export function splitByMedia(items: DemoItem[], valFraction: number): Split {
	const split: Split = { train: [], val: [] };
	if (valFraction <= 0) return { train: [...items], val: [] };
	const every = Math.max(2, Math.round(1 / valFraction));
	const isVal = new Map<string, boolean>();
	for (const item of items) {
		if (!isVal.has(item.key)) isVal.set(item.key, isVal.size % every === every - 1);
		(isVal.get(item.key) ? split.val : split.train).push(item);
	}
	return split;
}
