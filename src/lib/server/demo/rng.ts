/**
 * A small seeded generator (mulberry32) so the demo set is the same on every machine and Node
 * version: Math.random cannot be seeded.
 */
export interface Rng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Integer in [lo, hi], both ends included. */
	int(lo: number, hi: number): number;
	pick<T>(items: readonly T[]): T;
	/** `count` distinct items in random order. */
	sample<T>(items: readonly T[], count: number): T[];
}

export function createRng(seed: number): Rng {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
	return {
		next,
		int,
		pick: (items) => items[Math.floor(next() * items.length)],
		sample: (items, count) => {
			const pool = [...items];
			for (let i = pool.length - 1; i > 0; i--) {
				const j = int(0, i);
				[pool[i], pool[j]] = [pool[j], pool[i]];
			}
			return pool.slice(0, count);
		}
	};
}
