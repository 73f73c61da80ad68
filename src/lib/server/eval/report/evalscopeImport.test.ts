import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importEvalScopeFolder, parseEvalScopeReport } from './evalscopeImport';

/** A report as EvalScope 1.x writes it for gsm8k (fields as in `evalscope/report/report.py`). */
const CURRENT = {
	name: 'qwen2_5-0_5b-instruct@gsm8k',
	dataset_name: 'gsm8k',
	dataset_pretty_name: 'GSM8K',
	dataset_description: '',
	model_name: 'qwen2_5-0_5b-instruct',
	score: 0.3,
	metrics: [
		{
			name: 'AverageAccuracy',
			num: 10,
			score: 0.3,
			macro_score: 0.3,
			categories: [{ name: ['default'], num: 10, score: 0.3, macro_score: 0.3, subsets: [{ name: 'main', score: 0.3, num: 10 }] }]
		}
	],
	analysis: 'N/A'
};

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('EvalScope report import', () => {
	it('reads the current layout as it is', () => {
		const report = parseEvalScopeReport(CURRENT, 'gsm8k.json');
		expect(report).toMatchObject({ name: CURRENT.name, model: 'qwen2_5-0_5b-instruct', dataset: 'gsm8k', source: 'evalscope', samples: [] });
		expect(report.metrics[0]).toMatchObject({ name: 'AverageAccuracy', num: 10, score: 0.3, macroScore: 0.3, range: 'fraction', higherIsBetter: true });
		expect(report.metrics[0].categories[0].subsets).toEqual([{ name: 'main', num: 10, score: 0.3 }]);
	});

	it('reads looser variants: string category names, singular list keys, missing num and macro_score', () => {
		// Subsets a (num 2, 1.0) and b (num 6, 0.5): category micro (2 + 3) / 8 = 0.625, macro 0.75.
		const loose = {
			dataset_name: 'mmlu',
			model_name: 'm',
			metrics: [{ name: 'acc', categories: [{ name: 'STEM', subset: [{ name: 'a', score: 1, num: 2 }, { name: 'b', score: 0.5, num: 6 }] }] }]
		};
		const metric = parseEvalScopeReport(loose, 'mmlu.json').metrics[0];
		expect(metric.categories[0]).toMatchObject({ name: ['STEM'], num: 8, score: 0.625, macroScore: 0.75 });
		expect(metric).toMatchObject({ num: 8, score: 0.625, macroScore: 0.625 });
	});

	it('reads the 0.x layout with one top-level metric, names filled from the folder', () => {
		const old = { name: 'ceval', metric: 'WeightedAverageAccuracy', score: 0.5, category: [{ name: 'DEFAULT', score: 0.5, subset: [{ name: 'law', score: 0.5 }] }], total_num: 20 };
		const report = parseEvalScopeReport(old, 'reports/m/ceval.json', { model: 'm', dataset: 'ceval' });
		expect(report).toMatchObject({ model: 'm', dataset: 'ceval' });
		expect(report.metrics[0]).toMatchObject({ name: 'WeightedAverageAccuracy', num: 20, score: 0.5 });
		expect(report.metrics[0].categories[0]).toMatchObject({ name: ['DEFAULT'], num: 0, score: 0.5 });
	});

	it('names the file and the field when a report is wrong', () => {
		const bad = structuredClone(CURRENT) as Record<string, unknown>;
		(bad.metrics as { categories: { subsets: { score: unknown }[] }[] }[])[0].categories[0].subsets[0].score = 'n/a';
		expect(() => parseEvalScopeReport(bad, 'reports/q/gsm8k.json')).toThrow('reports/q/gsm8k.json: metrics[0].categories[0].subsets[0].score must be a number, got "n/a"');
		expect(() => parseEvalScopeReport({ dataset_name: 'd', model_name: 'm' }, 'x.json')).toThrow('x.json: metrics is missing');
		expect(() => parseEvalScopeReport({ metrics: [] }, 'x.json')).toThrow('x.json: dataset_name is missing');
		expect(() => parseEvalScopeReport([], 'x.json')).toThrow('x.json: must be an object, got []');
		expect(() => parseEvalScopeReport({ ...CURRENT, metrics: [{ name: 'a', categories: [{ name: ['x'], subsets: [] }] }] }, 'y.json')).toThrow('y.json: metrics[0].categories[0] has neither subsets nor a score');
	});

	it('imports a whole output folder, reporting broken files beside good ones', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'evalscope-import-'));
		dirs.push(dir);
		await mkdir(join(dir, 'reports', 'qwen'), { recursive: true });
		await writeFile(join(dir, 'reports', 'qwen', 'gsm8k.json'), JSON.stringify(CURRENT));
		await writeFile(join(dir, 'reports', 'qwen', 'broken.json'), '{"metrics": [');
		const { reports, errors } = await importEvalScopeFolder(dir);
		expect(reports.map((r) => r.dataset)).toEqual(['gsm8k']);
		expect(errors).toHaveLength(1);
		expect(errors[0].file).toBe(join('reports', 'qwen', 'broken.json'));
		expect(errors[0].message).toMatch(/^reports\/qwen\/broken\.json: is not valid JSON/);
		const empty = await mkdtemp(join(tmpdir(), 'evalscope-empty-'));
		dirs.push(empty);
		await expect(importEvalScopeFolder(empty)).rejects.toThrow(/holds no reports\/<model>\/<dataset>\.json files/);
		await expect(importEvalScopeFolder(join(empty, 'missing'))).rejects.toThrow(/is not a folder/);
	});
});
