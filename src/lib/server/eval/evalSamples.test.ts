import { describe, expect, it } from 'vitest';
import type { EvalSampleView } from '../../shared/evalJob';
import { evalSamplesQuerySchema } from '../../shared/evalJob';
import { buildReport } from './report/aggregate';
import { ACCURACY, SAMPLES } from './report/fixtures';
import { exportReport, filterSamples } from './evalSamples';

const report = buildReport({ name: 'r', model: 'm', dataset: 'd', metrics: [ACCURACY], samples: SAMPLES });
const views: EvalSampleView[] = report.samples.map((s) => ({ ...s, row: s.index, prompt: `question ${s.index}`, media: [] }));
const query = (q: Record<string, string>) => evalSamplesQuerySchema.parse(q);

describe('filterSamples', () => {
	it('keeps right or wrong answers at a threshold', () => {
		expect(filterSamples(report, views, query({ outcome: 'fail' })).samples.map((s) => s.index)).toEqual([1, 3]);
		expect(filterSamples(report, views, query({ outcome: 'pass' })).total).toBe(4);
		expect(filterSamples(report, views, query({ outcome: 'pass', threshold: '0' })).total).toBe(6);
	});

	it('filters by tag, by modality and by text, then pages', () => {
		expect(filterSamples(report, views, query({ tag: 'type=image_shape' })).samples.map((s) => s.index)).toEqual([0, 1, 2]);
		expect(filterSamples(report, views, query({ tag: 'modality=audio' })).samples.map((s) => s.index)).toEqual([3, 4, 5]);
		expect(filterSamples(report, views, query({ q: 'QUESTION 4' })).samples.map((s) => s.index)).toEqual([4]);
		expect(filterSamples(report, views, query({ offset: '2', limit: '2' })).samples.map((s) => s.index)).toEqual([2, 3]);
	});

	it('names a bad tag filter or an unknown metric', () => {
		expect(() => filterSamples(report, views, query({ tag: 'nokey' }))).toThrow(/key=value/);
		expect(() => filterSamples(report, views, query({ metric: 'bleu' }))).toThrow(/no metric "bleu"/);
	});
});

describe('exportReport', () => {
	it('answers EvalScope JSON or CSV, and refuses other formats', async () => {
		expect(((await exportReport(report, 'evalscope').json()) as { metrics: { name: string }[] }).metrics[0].name).toBe('accuracy');
		expect(exportReport(report, 'csv').headers.get('content-type')).toContain('text/csv');
		expect(() => exportReport(report, 'xml')).toThrow(/evalscope or csv/);
	});
});
