import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importSwiftEvalResults, parseSwiftEvalResults } from './swiftImport';

/** Lines as `swift eval` appends them (swift/llm/eval/eval.py): backend results beside the run's fields. */
const NATIVE = {
	Native: { gsm8k: { AverageAccuracy: 0.42 }, arc: { AverageAccuracy: 0.7, AverageRouge: 0.3 } },
	time: '20250102-030405',
	model: 'Qwen/Qwen2.5-0.5B-Instruct',
	adapters: ['output/checkpoint-100'],
	result_path: 'output/eval_result',
	eval_output_dir: 'eval_output',
	eval_limit: 10
};
const VLM = { vlmeval: { MMBench_DEV_EN: { acc: { Overall: 0.61, CP: 0.7 } } }, time: 'yesterday', model: 'qwen-vl' };

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("ms-swift's eval_result.jsonl import", () => {
	it('makes one report per backend and dataset', () => {
		const reports = parseSwiftEvalResults(`${JSON.stringify(NATIVE)}\n\n${JSON.stringify(VLM)}\n`, 'eval_result.jsonl');
		expect(reports.map((r) => [r.backend, r.dataset, r.model])).toEqual([
			['Native', 'gsm8k', 'Qwen/Qwen2.5-0.5B-Instruct + output/checkpoint-100'],
			['Native', 'arc', 'Qwen/Qwen2.5-0.5B-Instruct + output/checkpoint-100'],
			['vlmeval', 'MMBench_DEV_EN', 'qwen-vl']
		]);
		expect(reports[0]).toMatchObject({ source: 'ms-swift', createdAt: '2025-01-02T03:04:05', samples: [] });
		expect(reports[1].metrics.map((m) => [m.name, m.score, m.num])).toEqual([
			['AverageAccuracy', 0.7, 0],
			['AverageRouge', 0.3, 0]
		]);
		// Older VLMEvalKit results nest the score as {Overall: x}.
		expect(reports[2].metrics[0]).toMatchObject({ name: 'acc', score: 0.61 });
		expect(reports[2].createdAt).toBeNull();
	});

	it('reads a bare dataset score and a list of EvalScope reports', () => {
		const bare = parseSwiftEvalResults(JSON.stringify({ OpenCompass: { ceval: 55.1 }, model: 'm' }), 'r.jsonl');
		expect(bare[0].metrics[0]).toMatchObject({ name: 'score', score: 55.1, range: 'percent' });
		const listed = parseSwiftEvalResults(
			JSON.stringify({ Native: [{ dataset_name: 'gsm8k', model_name: 'm', metrics: [{ name: 'acc', num: 4, score: 0.5, categories: [] }] }], model: 'm' }),
			'r.jsonl'
		);
		expect(listed[0]).toMatchObject({ dataset: 'gsm8k', source: 'ms-swift', backend: 'Native' });
	});

	it('names the file, line and field when a line is wrong', () => {
		expect(() => parseSwiftEvalResults('{"Native": {"gsm8k": {"acc": "high"}}}', 'e.jsonl')).toThrow('e.jsonl: line 1: Native.gsm8k.acc must be a number, got "high"');
		expect(() => parseSwiftEvalResults('\n{oops', 'e.jsonl')).toThrow(/^e\.jsonl: line 2 is not valid JSON/);
		expect(() => parseSwiftEvalResults('{"model": "m", "time": "t"}', 'e.jsonl')).toThrow('e.jsonl: line 1 has no backend results');
		expect(() => parseSwiftEvalResults('[1]', 'e.jsonl')).toThrow('e.jsonl: line 1 must be an object, got [1]');
		expect(() => parseSwiftEvalResults('', 'e.jsonl')).toThrow('e.jsonl: holds no eval results');
	});

	it('reads the file from disk', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'swift-eval-'));
		dirs.push(dir);
		await writeFile(join(dir, 'eval_result.jsonl'), `${JSON.stringify(NATIVE)}\n`);
		expect(await importSwiftEvalResults(join(dir, 'eval_result.jsonl'), 'eval_result.jsonl')).toHaveLength(2);
		await expect(importSwiftEvalResults(join(dir, 'none.jsonl'), 'none.jsonl')).rejects.toThrow('none.jsonl: cannot be read');
	});
});
