import { describe, expect, it } from 'vitest';
import { lcsLength, rougeL, rougeLMulti } from './rouge';

describe('ROUGE-L', () => {
	it("matches rouge-score's README example", () => {
		// scorer.score('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.')
		// -> rougeL precision 0.625, recall 0.5556, fmeasure 0.5882. By hand: LCS "the quick brown jumps the" = 5,
		// P = 5/8, R = 5/9, F = 2PR/(P+R) = 10/17 = 0.588235.
		const score = rougeL('The quick brown dog jumps on the log.', 'The quick brown fox jumps over the lazy dog');
		expect(score.precision).toBeCloseTo(0.625, 10);
		expect(score.recall).toBeCloseTo(5 / 9, 10);
		expect(score.fmeasure).toBeCloseTo(10 / 17, 10);
	});

	it('tokenises Chinese per character where rouge-score would drop it', () => {
		// ref 我爱北京天安门 (7), pred 我爱天安门 (5): LCS 5, P = 1, R = 5/7, F = (10/7)/(12/7) = 5/6.
		const score = rougeL('我爱天安门', '我爱北京天安门');
		expect(score.precision).toBe(1);
		expect(score.recall).toBeCloseTo(5 / 7, 10);
		expect(score.fmeasure).toBeCloseTo(5 / 6, 10);
	});

	it('is zero when either side has no tokens, and takes the best reference', () => {
		expect(rougeL('!!!', 'a b')).toEqual({ precision: 0, recall: 0, fmeasure: 0 });
		expect(rougeLMulti('a b c', ['x y', 'a b c']).fmeasure).toBe(1);
		expect(lcsLength(['a', 'b', 'c', 'b'], ['b', 'c', 'b', 'a'])).toBe(3);
	});
});
