import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSwiftEvalReport } from './swiftEvalReport';

function outputDir(files: Record<string, unknown>): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swift-eval-'));
	for (const [name, content] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
		fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
	}
	return dir;
}

const meta = { name: 'e', model: 'tuned · checkpoint-6', backend: 'Native', createdAt: '2026-12-07T05:00:00.000Z' };
const gsm8k = (score: number) => ({ name: 'ckpt@gsm8k', dataset_name: 'gsm8k', model_name: 'ckpt', metrics: [{ name: 'AverageAccuracy', num: 10, score, macro_score: score, categories: [{ name: ['default'], num: 10, score, macro_score: score, subsets: [{ name: 'main', score, num: 10 }] }] }] });

describe("reading what swift eval wrote", () => {
	it('one dataset keeps its metric name; the registry names the model', async () => {
		const dir = outputDir({ '20261207_050000/reports/ckpt/gsm8k.json': gsm8k(0.4) });
		const report = await readSwiftEvalReport(dir, { ...meta, datasets: ['gsm8k'] });
		expect(report).toMatchObject({ model: 'tuned · checkpoint-6', dataset: 'gsm8k', source: 'ms-swift', backend: 'Native' });
		expect(report.metrics.map((m) => [m.name, m.score, m.num])).toEqual([['AverageAccuracy', 0.4, 10]]);
	});

	it("the latest run's report wins when a dataset was evaluated twice in the folder", async () => {
		const dir = outputDir({ '20261207_050000/reports/ckpt/gsm8k.json': gsm8k(0.4), '20261207_060000/reports/ckpt/gsm8k.json': gsm8k(0.7) });
		expect((await readSwiftEvalReport(dir, { ...meta, datasets: ['gsm8k'] })).metrics[0].score).toBe(0.7);
	});

	it('an OpenCompass run has only eval_result.jsonl: its scores are read from there, named per dataset', async () => {
		const line = { OpenCompass: { ARC_c: { accuracy: 61.2 }, gsm8k: { accuracy: 40 } }, time: '20261207-050000', model: '/m', adapters: [] };
		const dir = outputDir({ 'eval_result.jsonl': `${JSON.stringify(line)}\n` });
		const report = await readSwiftEvalReport(dir, { ...meta, backend: 'OpenCompass', datasets: ['ARC_c', 'gsm8k'] });
		expect(report.metrics.map((m) => [m.name, m.score, m.range])).toEqual([
			['ARC_c/accuracy', 61.2, 'percent'],
			['gsm8k/accuracy', 40, 'percent']
		]);
	});

	it('names the datasets it found no results for, and the file of a broken report', async () => {
		await expect(readSwiftEvalReport(outputDir({}), { ...meta, datasets: ['gsm8k'] })).rejects.toThrow(/no reports.*gsm8k/);
		await expect(readSwiftEvalReport(outputDir({ 'r/reports/ckpt/gsm8k.json': gsm8k(0.4) }), { ...meta, datasets: ['gsm8k', 'mmlu'] })).rejects.toThrow(/without results for mmlu/);
		await expect(readSwiftEvalReport(outputDir({ 'r/reports/ckpt/gsm8k.json': '{"dataset_name": "gsm8k", "metrics": "x"}' }), { ...meta, datasets: ['gsm8k'] })).rejects.toThrow(/r\/reports\/ckpt\/gsm8k\.json.*metrics/);
	});
});
