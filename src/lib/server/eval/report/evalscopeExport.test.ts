import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildReport } from './aggregate';
import { evalScopeReportPath, toEvalScopeReport, writeEvalScopeReport } from './evalscopeExport';
import { importEvalScopeFolder } from './evalscopeImport';
import { ACCURACY, SAMPLES } from './fixtures';

const report = buildReport({ name: 'demo', model: 'org/tiny', dataset: 'demo-vqa', metrics: [ACCURACY], samples: SAMPLES });
const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('EvalScope report export', () => {
	it("writes EvalScope's fields with scores rounded to 4 places", () => {
		const json = toEvalScopeReport(report);
		expect(json).toMatchObject({ name: 'demo', dataset_name: 'demo-vqa', model_name: 'org/tiny', score: 0.6667, num: 6, analysis: 'N/A' });
		expect(json.metrics[0]).toEqual({
			name: 'accuracy',
			num: 6,
			score: 0.6667,
			macro_score: 0.75,
			categories: [
				{ name: ['vision'], num: 4, score: 0.5, macro_score: 0.3333, subsets: [{ name: 'shape', score: 0.6667, num: 3 }, { name: 'colour', score: 0, num: 1 }] },
				{ name: ['audio'], num: 2, score: 1, macro_score: 1, subsets: [{ name: 'count', score: 1, num: 2 }] }
			]
		});
		expect(json.dataset_description).toContain('accuracy: SQuAD-normalised match');
	});

	it('writes reports/<model>/<dataset>.json that the importer reads back', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'evalscope-export-'));
		dirs.push(dir);
		const path = await writeEvalScopeReport(dir, report);
		expect(path).toBe(join(dir, 'reports', 'org_tiny', 'demo-vqa.json'));
		expect(JSON.parse(await readFile(path, 'utf8')).metrics[0].categories[0].name).toEqual(['vision']);
		const { reports, errors } = await importEvalScopeFolder(dir);
		expect(errors).toEqual([]);
		expect(reports[0]).toMatchObject({ model: 'org/tiny', dataset: 'demo-vqa', source: 'evalscope' });
		expect(reports[0].metrics[0].categories[0]).toEqual({
			name: ['vision'],
			num: 4,
			score: 0.5,
			macroScore: 0.3333,
			subsets: [
				{ name: 'shape', num: 3, score: 0.6667 },
				{ name: 'colour', num: 1, score: 0 }
			]
		});
	});

	it('keeps path segments inside the folder', () => {
		expect(evalScopeReportPath({ model: '../../etc', dataset: 'a/b' })).toBe(join('reports', '__.._etc', 'a_b.json'));
	});
});
