// Picking the next token from a row of logits: greedy, or sampling with temperature, top-k and
// top-p (nucleus), with ms-swift's flag meanings. Sampling draws from a SeededRandom so a seeded
// generation is reproducible.

import type { SeededRandom } from '../data/seededRandom';

export interface SamplingOptions {
	/** 0 (default) = greedy. */
	temperature?: number;
	/** Keep the k most likely tokens; 0 = all. */
	top_k?: number;
	/** Keep the smallest set whose probability reaches p; 1 = all. */
	top_p?: number;
	/** > 1 discourages tokens already present (CTRL-style, as HF). */
	repetition_penalty?: number;
}

export function argmax(row: ArrayLike<number>): number {
	let best = 0;
	for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
	return best;
}

export function sampleToken(logits: Float32Array, o: SamplingOptions, random: SeededRandom, history: readonly number[] = []): number {
	const row = Float64Array.from(logits);
	const penalty = o.repetition_penalty ?? 1;
	if (penalty !== 1) for (const id of new Set(history)) row[id] = row[id] > 0 ? row[id] / penalty : row[id] * penalty;
	const temperature = o.temperature ?? 0;
	if (temperature <= 0) return argmax(row);
	const order = Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b);
	const k = o.top_k && o.top_k > 0 ? Math.min(o.top_k, order.length) : order.length;
	const max = row[order[0]];
	const probs = order.slice(0, k).map((i) => Math.exp((row[i] - max) / temperature));
	const z = probs.reduce((a, b) => a + b, 0);
	const topP = o.top_p ?? 1;
	let kept = probs.length;
	if (topP < 1) {
		let c = 0;
		for (let i = 0; i < probs.length; i++) {
			c += probs[i] / z;
			if (c >= topP) {
				kept = i + 1;
				break;
			}
		}
	}
	const mass = probs.slice(0, kept).reduce((a, b) => a + b, 0);
	let u = random.nextFloat() * mass;
	for (let i = 0; i < kept; i++) {
		u -= probs[i];
		if (u <= 0) return order[i];
	}
	return order[kept - 1];
}
