// Next-token choice: greedy, top-k and top-p limits, temperature sampling that follows the softmax,
// repetition penalty, and reproducibility under a seed.

import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../data/seededRandom';
import { argmax, sampleToken } from './sampling';

const logits = Float32Array.of(1.0, 3.0, 2.0, -1.0, 2.5);

function draws(options: Parameters<typeof sampleToken>[1], n: number, seed = 1): number[] {
	const random = new SeededRandom(seed);
	const counts = new Array<number>(logits.length).fill(0);
	for (let i = 0; i < n; i++) counts[sampleToken(logits, options, random)]++;
	return counts;
}

describe('sampling', () => {
	it('greedy, top_k 1 and a tiny top_p all pick the argmax', () => {
		const random = new SeededRandom(3);
		expect(argmax(logits)).toBe(1);
		expect(sampleToken(logits, {}, random)).toBe(1);
		expect(sampleToken(logits, { temperature: 1, top_k: 1 }, random)).toBe(1);
		expect(sampleToken(logits, { temperature: 1, top_p: 0.01 }, random)).toBe(1);
	});

	it('temperature sampling follows the softmax; top_k cuts the tail', () => {
		const n = 20000;
		const counts = draws({ temperature: 1 }, n);
		const z = Array.from(logits).reduce((s, v) => s + Math.exp(v), 0);
		Array.from(logits).forEach((v, i) => expect(Math.abs(counts[i] / n - Math.exp(v) / z)).toBeLessThan(0.015));
		const top2 = draws({ temperature: 1, top_k: 2 }, 2000);
		expect(top2[0] + top2[2] + top2[3]).toBe(0);
		expect(top2[1] + top2[4]).toBe(2000);
	});

	it('is reproducible under a seed and penalises repeats', () => {
		expect(draws({ temperature: 0.8, top_p: 0.9 }, 200, 5)).toEqual(draws({ temperature: 0.8, top_p: 0.9 }, 200, 5));
		expect(sampleToken(logits, { repetition_penalty: 2 }, new SeededRandom(1), [1])).toBe(4);
	});
});
