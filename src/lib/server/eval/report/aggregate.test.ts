import { describe, expect, it } from 'vitest';
import { evalReportSchema } from '$lib/shared/eval';
import { buildReport, modalitiesOf } from './aggregate';
import { ACCURACY, SAMPLES } from './fixtures';

describe('report aggregation', () => {
	const report = buildReport({ name: 'demo', model: 'tiny', dataset: 'demo-vqa', metrics: [ACCURACY], samples: SAMPLES });
	const metric = report.metrics[0];

	it('computes EvalScope micro and macro means', () => {
		// vision: shape 2/3 over 3, colour 0 over 1 -> micro (2 + 0) / 4 = 0.5, macro (2/3 + 0) / 2 = 1/3.
		// audio: count 1 over 2 -> 1 and 1.
		// metric: micro (0.5 * 4 + 1 * 2) / 6 = 2/3, macro over category scores (0.5 + 1) / 2 = 0.75.
		expect(metric.categories.map((c) => [c.name, c.num, c.score, c.macroScore])).toEqual([
			[['vision'], 4, 0.5, 1 / 3],
			[['audio'], 2, 1, 1]
		]);
		expect(metric.categories[0].subsets).toEqual([
			{ name: 'shape', num: 3, score: 2 / 3 },
			{ name: 'colour', num: 1, score: 0 }
		]);
		expect(metric.num).toBe(6);
		expect(metric.score).toBeCloseTo(2 / 3, 12);
		expect(metric.macroScore).toBe(0.75);
		expect(evalReportSchema.parse(report)).toEqual(report);
	});

	it('breaks scores down by modality, a sample with two media in both buckets', () => {
		// image: shape x3 + colour -> num 4, micro 2/4 = 0.5, macro (2/3 + 0) / 2 = 1/3.
		// audio: colour + count x2 -> num 3, micro 2/3, macro (0 + 1) / 2 = 0.5.
		expect(metric.breakdowns[0]).toEqual({
			by: 'modality',
			buckets: [
				{ value: 'image', num: 4, score: 0.5, macroScore: 1 / 3 },
				{ value: 'audio', num: 3, score: 2 / 3, macroScore: 0.5 }
			]
		});
	});

	it('breaks scores down by row tag, leaving untagged samples out', () => {
		expect(metric.breakdowns[1]).toEqual({
			by: 'tag:type',
			buckets: [
				{ value: 'audio_count', num: 1, score: 1, macroScore: 1 },
				{ value: 'image_colour', num: 1, score: 0, macroScore: 0 },
				{ value: 'image_shape', num: 3, score: 2 / 3, macroScore: 2 / 3 }
			]
		});
	});

	it('keeps samples with defaults, and leaves a metric out of samples it did not score', () => {
		const partial = buildReport({
			name: 'x',
			model: 'm',
			dataset: 'd',
			metrics: [ACCURACY, { ...ACCURACY, name: 'bleu', range: 'percent', corpusScore: 12.5 }],
			samples: [
				{ prediction: 'a', references: ['a'], scores: { accuracy: 1, bleu: 40 } },
				{ prediction: 'b', references: ['a'], scores: { accuracy: 0 } }
			]
		});
		expect(partial.samples[1]).toMatchObject({ index: 1, subset: 'default', category: ['default'], modalities: ['text'], extracted: null });
		expect(partial.metrics[1]).toMatchObject({ num: 1, score: 40, corpusScore: 12.5 });
		expect(partial.metrics[0].breakdowns[0].buckets).toEqual([{ value: 'text', num: 2, score: 0.5, macroScore: 0.5 }]);
	});

	it('names bad scores and unknown metrics', () => {
		const build = (scores: Record<string, number>) => buildReport({ name: 'x', model: 'm', dataset: 'd', metrics: [ACCURACY], samples: [{ prediction: '', references: [''], scores }] });
		expect(() => build({ accuracy: NaN })).toThrow('sample 0: accuracy score must be a finite number, got NaN');
		expect(() => build({ f1: 1 })).toThrow('sample 0: score for unknown metric "f1"');
		expect(modalitiesOf({ videos: ['v.mp4'], images: [] })).toEqual(['video']);
	});
});
