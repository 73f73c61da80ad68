import type { DemoItem } from './demoItem';
import type { Rng } from './rng';

/**
 * Draws media until `count` distinct ones exist, keeping every question asked of each. Synthetic
 * scenes repeat now and then; a repeat adds nothing, so it is drawn again.
 */
export function drawUnique(count: number, rng: Rng, make: (rng: Rng) => DemoItem[]): DemoItem[] {
	const seen = new Set<string>();
	const items: DemoItem[] = [];
	const maxAttempts = count * 20 + 100;
	for (let attempt = 0; seen.size < count && attempt < maxAttempts; attempt++) {
		const questions = make(rng);
		const key = questions[0]?.key;
		if (key === undefined || seen.has(key)) continue;
		seen.add(key);
		items.push(...questions);
	}
	if (seen.size < count) throw new Error(`demo data: only ${seen.size} distinct media could be drawn, ${count} were asked for`);
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
