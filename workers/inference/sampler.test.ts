import { describe, expect, it } from 'vitest';
import { samplingSchema } from '../../src/lib/shared/inference';
import { Sampler } from './sampler';

const logits = Float32Array.of(1.0, 3.0, 2.0, -1.0, 2.5);

function draws(sampling: object, n: number): number[] {
	const sampler = new Sampler(samplingSchema.parse(sampling), []);
	return Array.from({ length: n }, () => sampler.next(logits));
}

describe('Sampler', () => {
	it('is greedy at temperature 0 and repeats exactly under a seed', () => {
		expect(draws({ temperature: 0, repetition_penalty: 1 }, 5)).toEqual([1, 1, 1, 1, 1]);
		const a = draws({ temperature: 1, top_k: 0, top_p: 1, seed: 7 }, 50);
		expect(draws({ temperature: 1, top_k: 0, top_p: 1, seed: 7 }, 50)).toEqual(a);
		expect(draws({ temperature: 1, top_k: 0, top_p: 1, seed: 8 }, 50)).not.toEqual(a);
	});

	it('keeps only the top_k tokens and the top_p nucleus', () => {
		expect(new Set(draws({ temperature: 5, top_k: 2, top_p: 1, seed: 1 }, 300))).toEqual(new Set([1, 4]));
		// p(1) = 0.44, p(4) = 0.27: a nucleus of 0.5 needs both, of 0.4 only the first.
		expect(new Set(draws({ temperature: 1, top_k: 0, top_p: 0.5, seed: 2 }, 300))).toEqual(new Set([1, 4]));
		expect(new Set(draws({ temperature: 1, top_k: 0, top_p: 0.4, seed: 2 }, 50))).toEqual(new Set([1]));
	});

	it('penalises tokens of the prompt and of its own answer', () => {
		const sampler = new Sampler(samplingSchema.parse({ temperature: 0, repetition_penalty: 2 }), [1]);
		// 3.0 / 2 = 1.5 < 2.5: the prompt's token loses; then 2.5 / 2 = 1.25 < 2.0; then 2.0 / 2 = 1.0 < 1.5.
		expect([sampler.next(logits), sampler.next(logits), sampler.next(logits)]).toEqual([4, 2, 1]);
	});
});
