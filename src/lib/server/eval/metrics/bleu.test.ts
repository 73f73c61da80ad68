import { describe, expect, it } from 'vitest';
import { bleuSegmentStats, corpusBleu, sentenceBleu } from './bleu';

describe('corpus BLEU (sacreBLEU defaults)', () => {
	it("matches sacreBLEU's published README example: 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)", () => {
		// By hand, with 13a tokens ("man." -> "man ."):
		//   seg 1 "The dog bit the man ." (6) equals ref A: 1-4 grams 6/6 5/5 4/4 3/3, ref len 6.
		//   seg 2 "It wasn't surprising ." (4): "It" and "." match, nothing longer: 2/4 0/3 0/2 0/1, ref len 5.
		//   seg 3 "The man had just bitten him ." (7): The man had bitten him . match (6/7), "The man" "man had"
		//         (2/6), "The man had" (1/5), no 4-gram (0/4); closest ref length 7.
		//   precisions 14/17 = 82.35, 7/14 = 50, 5/11 = 45.45, 3/8 = 37.5; BP = exp(1 - 18/17) = 0.9429;
		//   BLEU = 0.9429 * (82.35 * 50 * 45.45 * 37.5)^(1/4) = 48.53.
		const hypotheses = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
		const references = [
			['The dog bit the man.', 'The dog had bit the man.'],
			['It was not unexpected.', 'No one was surprised.'],
			['The man bit him first.', 'The man had bitten the dog.']
		];
		const bleu = corpusBleu(hypotheses, references);
		expect(bleu.score).toBeCloseTo(48.5308, 4);
		expect(bleu.hypLength).toBe(17);
		expect(bleu.refLength).toBe(18);
		expect(bleu.correct).toEqual([14, 7, 5, 3]);
		expect(bleu.total).toEqual([17, 14, 11, 8]);
		expect(bleu.brevityPenalty).toBeCloseTo(0.9429, 4);
	});

	it('gives 0 when a 4-gram order has no n-grams at all (no effective order at corpus level)', () => {
		// "the cat sat" has no 4-gram: total[3] = 0, sacreBLEU stops and log(0) zeroes the score.
		expect(corpusBleu(['the cat sat'], [['the cat sat on the mat']]).score).toBe(0);
	});

	it('is case-sensitive and needs one reference list per hypothesis', () => {
		expect(corpusBleu(['The cat sat on the mat'], [['the cat sat on the mat']]).score).toBeLessThan(100);
		expect(() => corpusBleu(['a'], [])).toThrow(/1 hypotheses but 0 reference lists/);
		expect(() => bleuSegmentStats('a', [])).toThrow(/at least one reference/);
	});
});

describe('sentence BLEU (sacreBLEU sentence_bleu)', () => {
	it('is 100 for an identical sentence', () => {
		expect(sentenceBleu('The cat sat on the mat.', ['The cat sat on the mat.']).score).toBeCloseTo(100, 10);
	});

	it('uses effective order for short hypotheses', () => {
		// 3 tokens: 1-3 gram precisions all 100, no 4-grams so the order is 3; BP = exp(1 - 6/3) = e^-1 -> 36.7879.
		expect(sentenceBleu('the cat sat', ['the cat sat on the mat']).score).toBeCloseTo(36.7879, 4);
	});

	it('smooths orders with no match by exp: the k-th gets 100 / (2^k * total)', () => {
		// hyp "the cat the mat" vs ref "the cat sat on the mat": 1-grams 4/4 (the x2 clipped to 2), 2-grams
		// "the cat" "the mat" 2/3, 3-grams 0/2 -> 100/(2*2) = 25, 4-grams 0/1 -> 100/(4*1) = 25;
		// BP = exp(1 - 6/4) = 0.60653; BLEU = 0.60653 * (100 * 66.667 * 25 * 25)^(1/4) = 0.60653 * 45.180 = 27.4031.
		const bleu = sentenceBleu('the cat the mat', ['the cat sat on the mat']);
		expect(bleu.precisions).toEqual([100, 200 / 3, 25, 25]);
		expect(bleu.score).toBeCloseTo(27.4031, 4);
	});

	it('scores Chinese per character with the zh tokeniser and not at all with 13a', () => {
		// zh: 我 爱 北 京 vs 我 爱 北 京 天 安 门: all 1-4 gram precisions 100, BP = exp(1 - 7/4) = 0.472367 -> 47.2367.
		expect(sentenceBleu('我爱北京', ['我爱北京天安门'], { tokenizer: 'zh' }).score).toBeCloseTo(47.2367, 4);
		// 13a sees one token on each side, and they differ.
		expect(sentenceBleu('我爱北京', ['我爱北京天安门']).score).toBe(0);
	});

	it('picks the closest reference length, the shorter on a tie', () => {
		// hyp 4 tokens, refs 3 and 5 tokens: both 1 away, so 3.
		expect(bleuSegmentStats('a b c d', ['a b c', 'a b c d e']).refLength).toBe(3);
	});
});
