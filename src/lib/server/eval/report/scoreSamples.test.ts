import { describe, expect, it } from 'vitest';
import { buildReport } from './aggregate';
import { scoreSamples } from './scoreSamples';

describe('scoring predictions into a report', () => {
	it('scores text metrics per sample and keeps corpus BLEU and token-weighted perplexity beside them', () => {
		const { samples, metrics } = scoreSamples(
			[
				{ prediction: '答案是B', references: ['B'], tags: { type: 'choice' }, logProbs: [Math.log(0.5), Math.log(0.25)] },
				{ prediction: '我爱北京', references: ['我爱北京天安门'], media: { images: 1 }, logProbs: [Math.log(0.5)] }
			],
			{ metrics: ['choice_accuracy', 'bleu'], language: 'zh' }
		);
		expect(samples[0]).toMatchObject({ extracted: 'B', scores: { choice_accuracy: 1 } });
		// Sample 2 has no option letter at all, so it scores 0 rather than failing the run.
		expect(samples[1].scores.choice_accuracy).toBe(0);
		// Sentence BLEU of sample 2 as worked out in bleu.test.ts: 47.2367.
		expect(samples[1].scores.bleu).toBeCloseTo(47.2367, 4);
		expect(metrics.map((m) => m.name)).toEqual(['choice_accuracy', 'bleu', 'perplexity', 'loss']);
		// Perplexity over 3 tokens with NLL 4 ln 2: 2^(4/3), as in perplexity.test.ts.
		expect(metrics[2].corpusScore).toBeCloseTo(Math.pow(2, 4 / 3), 12);
		expect(metrics[0].corpusScore).toBeNull();
		const report = buildReport({ name: 'r', model: 'm', dataset: 'd', metrics, samples });
		expect(report.metrics[1].corpusScore).toBe(metrics[1].corpusScore);
		expect(report.metrics[2]).toMatchObject({ num: 2, higherIsBetter: false });
		expect(report.samples[1].modalities).toEqual(['image']);
	});
});
