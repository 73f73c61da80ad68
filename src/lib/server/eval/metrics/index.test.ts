import { describe, expect, it } from 'vitest';
import { METRICS, corpusTextScore, metricNames, scoreText, textMetricNames } from './index';

describe('metric table', () => {
	it('gives every metric a convention, a range and a direction', () => {
		for (const name of metricNames) {
			expect(METRICS[name].name).toBe(name);
			expect(METRICS[name].convention.length).toBeGreaterThan(20);
		}
		expect(METRICS.bleu.convention).toContain('sacreBLEU 2.x');
		expect(METRICS.perplexity.higherIsBetter).toBe(false);
	});

	it('scores one sample under each text metric', () => {
		const scores = Object.fromEntries(textMetricNames.map((name) => [name, scoreText(name, 'The answer is (B).', ['B']).score]));
		// Exact and normalised match fail on the sentence; choice reads B; F1: [answer, is, b] vs [b] -> 2 * (1/3) / (4/3) = 0.5;
		// ROUGE-L keeps "the": tokens the/answer/is/b vs b -> P 1/4, R 1, F 0.4; sentence BLEU "The answer is ( B ) ." vs "B":
		// 1-gram 1/7, no higher match -> exp smoothing 100/(2*6), 100/(4*5), 100/(8*4); BP 1 ->
		// (14.2857 * 8.3333 * 5 * 3.125)^(1/4) = 1860.1^(1/4) = 6.5673.
		expect(scores).toMatchObject({ exact_match: 0, accuracy: 0, choice_accuracy: 1, rouge_l: 0.4, rouge_l_recall: 1 });
		expect(scores.token_f1).toBeCloseTo(0.5, 10);
		expect(scores.bleu).toBeCloseTo(Math.pow((100 / 7) * (100 / 12) * (100 / 20) * (100 / 32), 0.25), 10);
		expect(scores.bleu).toBeCloseTo(6.5673, 3);
		expect(scoreText('choice_accuracy', '答案是C', ['C'])).toEqual({ score: 1, extracted: 'C' });
	});

	it('uses the zh tokeniser for Chinese BLEU and gives a corpus value only for BLEU', () => {
		expect(scoreText('bleu', '我爱北京', ['我爱北京天安门'], { language: 'zh' }).score).toBeCloseTo(47.2367, 4);
		expect(corpusTextScore('bleu', ['我爱北京天安门'], [['我爱北京天安门']], { language: 'zh' })).toBeCloseTo(100, 10);
		expect(corpusTextScore('accuracy', ['a'], [['a']])).toBeNull();
	});
});
