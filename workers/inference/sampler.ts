import { SeededRandom } from '../../src/lib/engine/data/seededRandom';
import { sampleToken } from '../../src/lib/engine/generate/sampling';
import type { Sampling } from '../../src/lib/shared/inference';

/**
 * The next-token choice of one generation: the engine's own sampleToken (greedy at temperature 0,
 * top-k, top-p, repetition penalty over prompt and answer), drawing from a generator seeded by the
 * request's seed, so a seeded request repeats exactly; without a seed each request draws its own.
 */
export class Sampler {
	private readonly random: SeededRandom;
	private readonly history: number[];

	constructor(
		private readonly sampling: Sampling,
		promptIds: ArrayLike<number>
	) {
		this.random = new SeededRandom(sampling.seed ?? Math.floor(Math.random() * 2 ** 31));
		this.history = Array.from(promptIds);
	}

	next(logits: Float32Array): number {
		const id = sampleToken(logits, this.sampling, this.random, this.history);
		this.history.push(id);
		return id;
	}
}
