import { describe, expect, it } from 'vitest';
import { corpusPerplexity, samplePerplexity } from './perplexity';

describe('perplexity and loss', () => {
	it('takes exp of the mean token NLL per sample', () => {
		// log-probs ln 1/2, ln 1/4: NLL = ln 2 + 2 ln 2 = 3 ln 2, mean 1.5 ln 2 = 1.0397, perplexity 2^1.5 = 2.8284.
		const result = samplePerplexity([Math.log(0.5), Math.log(0.25)]);
		expect(result.tokens).toBe(2);
		expect(result.loss).toBeCloseTo(1.5 * Math.LN2, 12);
		expect(result.perplexity).toBeCloseTo(2 * Math.SQRT2, 12);
	});

	it('weights every token equally across samples', () => {
		// Samples [ln 1/2, ln 1/4] and [ln 1/2]: 3 tokens, NLL 4 ln 2, loss 4/3 ln 2, perplexity 2^(4/3) = 2.5198,
		// not the mean of per-sample perplexities (2.8284 + 2) / 2 = 2.4142.
		const result = corpusPerplexity([[Math.log(0.5), Math.log(0.25)], [Math.log(0.5)]]);
		expect(result.tokens).toBe(3);
		expect(result.perplexity).toBeCloseTo(Math.pow(2, 4 / 3), 12);
	});

	it('refuses empty samples and impossible log-probabilities, naming where', () => {
		expect(() => samplePerplexity([], 3)).toThrow('sample 3 has no token log-probabilities');
		expect(() => corpusPerplexity([[-1], [-0.5, 0.2]])).toThrow('sample 1 token 1: log-probability must be a finite number <= 0, got 0.2');
		expect(() => samplePerplexity([-Infinity])).toThrow(/finite/);
		expect(samplePerplexity([1e-9]).perplexity).toBe(1);
	});
});
