import { describe, expect, it } from 'vitest';
import type { EvalReport, EvalSample } from './eval';
import { compareReports } from './evalCompare';

const sample = (index: number, score: number, type: string): EvalSample => ({ index, subset: 'default', category: ['default'], tags: { question_type: type }, modalities: ['text'], prediction: `p${index}`, references: ['r'], extracted: null, scores: { accuracy: score } });

function report(scores: number[]): EvalReport {
	const samples = scores.map((s, i) => sample(i, s, i < 2 ? 'a' : 'b'));
	const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
	return {
		name: 'r',
		model: 'm',
		dataset: 'd',
		source: 'swiftboard',
		backend: null,
		createdAt: null,
		latency: null,
		samples,
		metrics: [
			{
				name: 'accuracy',
				convention: '',
				range: 'fraction',
				higherIsBetter: true,
				num: scores.length,
				score: mean(scores),
				macroScore: mean(scores),
				corpusScore: null,
				categories: [],
				breakdowns: [{ by: 'tag:question_type', buckets: [{ value: 'a', num: 2, score: mean(scores.slice(0, 2)), macroScore: 0 }, { value: 'b', num: 2, score: mean(scores.slice(2)), macroScore: 0 }] }]
			}
		]
	};
}

describe('compareReports', () => {
	it('puts metrics and tag buckets side by side with deltas from the first, and lists the samples they disagree on', () => {
		const c = compareReports([
			{ label: 'step 2', report: report([1, 0, 0, 0]) },
			{ label: 'step 4', report: report([1, 1, 0, 1]) }
		]);
		expect(c.metric).toBe('accuracy');
		expect(c.metrics[0]).toEqual({ name: 'accuracy', values: [0.25, 0.75], deltas: [0, 0.5] });
		expect(c.breakdowns[0].rows).toEqual([
			{ name: 'a', values: [0.5, 1], deltas: [0, 0.5] },
			{ name: 'b', values: [0, 0.5], deltas: [0, 0.5] }
		]);
		expect(c.disagreements.map((d) => d.key)).toEqual(['1', '3']);
		expect(c.disagreements[0].samples.map((s) => s?.passed)).toEqual([false, true]);
	});

	it('pairs samples by the given keys', () => {
		const c = compareReports([
			{ label: 'x', report: report([1, 0, 1, 1]), keys: [10, 11, 12, 13] },
			{ label: 'y', report: report([0, 1, 1, 1]), keys: [11, 10, 12, 13] }
		]);
		expect(c.disagreements).toEqual([]);
	});
});
