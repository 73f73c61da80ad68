import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointInfo } from '../../src/lib/shared/endpoints';
import type { EvalReport } from '../../src/lib/shared/eval';
import type { EvalRecord } from '../../src/lib/shared/evalJob';
import type { JobRecord } from '../../src/lib/shared/jobs';
import type { ModelSummary } from '../../src/lib/shared/models';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { OpenAITestServer } from '../helpers/openaiTestServer';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { groupGone, StreamRecorder, swiftCheckpoint, swiftFixture } from '../helpers/swiftJobs';

// `swift eval` and `swift export` as jobs, against the test double of ms-swift's CLI
// (test/fixtures/swift/swift): it prints EvalScope's progress bars and writes its reports with fixed
// per-subset rates, and writes merged / quantised model folders, 20 ms a step.

let server: TestServer;
let admin: ApiClient;
let streams: StreamRecorder;
let checkpoint: ModelSummary;
let upstream: OpenAITestServer;

const models = async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models;
const getEval = async (id: string) => (await admin.json<{ eval: EvalRecord; report: EvalReport | null }>('GET', `/api/evals/${id}`)).body;
const getJob = async (id: string) => (await admin.json<{ job: JobRecord }>('GET', `/api/jobs/${id}`)).body.job;
const until = <T>(read: () => Promise<T>, expected: T) => expect.poll(read, { timeout: 15_000, interval: 50 }).toBe(expected);
const logOf = (stream: string) => streams.logOf(stream);

async function startEval(body: Record<string, unknown>): Promise<EvalRecord> {
	const created = await admin.json<{ eval: EvalRecord }>('POST', '/api/evals', { engine: 'swift', model: checkpoint.id, ...body });
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	await streams.follow(`eval:${created.body.eval.id}`);
	return created.body.eval;
}

async function startExport(modelId: string, body: Record<string, unknown>): Promise<JobRecord> {
	const started = await admin.json<{ job: JobRecord }>('POST', `/api/models/${modelId}/swift-export`, body);
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	await streams.follow(`job:${started.body.job.id}`);
	return started.body.job;
}

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir, env: { SWIFTBOARD_SWIFT_BIN: swiftFixture, SWIFT_FIXTURE_STEP_MS: '20', SWIFTBOARD_SWIFT_STOP_GRACE_S: '1' } });
	admin = await setupAdmin(server.url);
	streams = new StreamRecorder(server.url, admin);
	// A swift run's checkpoint: the adapter these jobs evaluate and export.
	checkpoint = await swiftCheckpoint(admin, 'arith');
}, 90_000);

afterAll(async () => {
	streams?.close();
	await server?.stop();
	await upstream?.close();
});

describe('swift eval', () => {
	it('evaluates a swift checkpoint on three EvalScope datasets and renders their reports with the scores EvalScope wrote', async () => {
		const created = await startEval({ eval_dataset: ['gsm8k', 'arc', 'mmlu'], eval_limit: 10 });
		expect(created).toMatchObject({ status: 'queued', source: 'ms-swift', datasetName: 'gsm8k, arc, mmlu', modelId: checkpoint.id });
		await until(async () => (await getEval(created.id)).eval.status, 'succeeded');
		const { eval: record, report } = await getEval(created.id);
		// 1 subset x 10 + 2 x 10 + 5 x 10 samples.
		expect(record).toMatchObject({ done: 80, total: 80, headline: { metric: 'gsm8k/AverageAccuracy', score: 0.4, range: 'fraction' } });
		expect(report).toMatchObject({ source: 'ms-swift', backend: 'Native', model: checkpoint.name, dataset: 'gsm8k, arc, mmlu' });
		expect(report!.metrics.map((m) => [m.name, m.num, m.score])).toEqual([
			['gsm8k/AverageAccuracy', 10, 0.4],
			['arc/AverageAccuracy', 20, 0.6],
			['mmlu/AverageAccuracy', 50, 0.52]
		]);
		const mmlu = report!.metrics[2];
		expect(mmlu.categories.map((c) => [c.name.join('/'), c.num, c.score])).toEqual([
			['STEM', 20, 0.4],
			['Humanities', 10, 0.6],
			['Social Science', 10, 0.4],
			['Other', 10, 0.8]
		]);
		expect(mmlu.categories[0].subsets).toEqual([
			{ name: 'abstract_algebra', num: 10, score: 0.3 },
			{ name: 'college_physics', num: 10, score: 0.5 }
		]);
		expect(mmlu.macroScore).toBeCloseTo(0.55, 6);

		// Progress came from EvalScope's bars, and the console (with the exact command) is in the eval's log.
		const progress = streams.of(`eval:${created.id}`).filter((e) => e.type === 'progress').map((e) => e.data as { done: number; total: number });
		expect(progress.length).toBeGreaterThan(3);
		expect(progress.at(-1)).toEqual({ done: 80, total: 80 });
		const log = logOf(`eval:${created.id}`);
		// Server paths are cut to their last part, as on every stream.
		expect(log[0]).toBe(`$ CUDA_VISIBLE_DEVICES='' swift eval --model Qwen/Qwen2.5-0.5B-Instruct --adapters checkpoint-2 --eval_backend Native --eval_dataset gsm8k arc mmlu --eval_limit 10 --eval_output_dir swift`);
		expect(log.join('\n')).not.toContain(server.dataDir);
		expect(log.some((line) => line.startsWith('Predicting(mmlu)'))).toBe(true);
		// What ms-swift wrote stays in the eval's own folder.
		expect(fs.existsSync(path.join(server.dataDir, 'evals', created.id, 'swift', 'eval_result.jsonl'))).toBe(true);
	});

	it("evaluates a registered endpoint through --eval_url and its key, which no log or answer shows", async () => {
		const key = 'sk-upstream-7788';
		upstream = await OpenAITestServer.start({ apiKey: key, models: ['served-a'] });
		const created = await admin.json<{ endpoint: EndpointInfo }>('POST', '/api/endpoints', { name: 'vLLM box', baseUrl: `${upstream.url}/v1`, apiKey: key, model: 'served-a' });
		expect(created.status).toBe(201);
		const started = await admin.request('POST', '/api/evals', { engine: 'swift', model: `endpoint:${created.body.endpoint.id}`, eval_dataset: ['gsm8k'], eval_limit: 2 });
		const text = await started.text();
		expect(started.status, text).toBe(201);
		expect(text).not.toContain(key);
		const record = (JSON.parse(text) as { eval: EvalRecord }).eval;
		expect(record).toMatchObject({ modelName: 'vLLM box (served-a)', modelId: `endpoint:${created.body.endpoint.id}`, runId: null });
		await streams.follow(`eval:${record.id}`);
		await until(async () => (await getEval(record.id)).eval.status, 'succeeded');
		const log = logOf(`eval:${record.id}`);
		expect(log[0]).toBe(`$ swift eval --model served-a --eval_url ${upstream.url}/v1 --api_key '<hidden>' --eval_backend Native --eval_dataset gsm8k --eval_limit 2 --eval_output_dir swift`);
		// EvalScope's client reached the endpoint with its key.
		expect(upstream.chatRequests().at(-1)).toMatchObject({ path: '/v1/chat/completions', authorization: `Bearer ${key}` });
		expect(log.join('\n')).not.toContain(key);
		const job = await admin.request('GET', `/api/jobs/${(await getEval(record.id)).eval.jobId}`);
		expect(await job.text()).not.toContain(key);
	});

	it('refuses dataset names that are not identifiers, presets and unknown models, with the field named', async () => {
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/evals', { engine: 'swift', model: checkpoint.id, eval_dataset: ['--model', '../x'] });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields)[0]).toMatch(/^eval_dataset/);
		const outputDir = await admin.json('POST', '/api/evals', { engine: 'swift', model: checkpoint.id, eval_dataset: ['gsm8k'], eval_output_dir: '/tmp' });
		expect(outputDir.status).toBe(400);
		const preset = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/evals', { engine: 'swift', model: 'nano', eval_dataset: ['gsm8k'] });
		expect(preset.status).toBe(400);
		expect(preset.body.error.fields.model).toBeTruthy();
	});

	it('stops the process group when the eval is cancelled', async () => {
		const created = await startEval({ eval_dataset: ['gsm8k'], eval_limit: 5000 });
		await expect.poll(() => logOf(`eval:${created.id}`).some((line) => line.startsWith('Predicting(gsm8k)')), { timeout: 15_000, interval: 50 }).toBe(true);
		const pid = streams.processGroup(`eval:${created.id}`);
		expect(pid).toBeGreaterThan(0);
		expect((await admin.json('POST', `/api/evals/${created.id}/cancel`, {})).status).toBe(200);
		await until(async () => (await getEval(created.id)).eval.status, 'cancelled');
		await expect.poll(() => groupGone(pid), { timeout: 3000, interval: 50 }).toBe(true);
		expect((await getEval(created.id)).report).toBeNull();
	});

	it('shows a failed eval its exit code and EvalScope traceback', async () => {
		const created = await startEval({ eval_dataset: ['gsm8k', 'nosuchbench'], eval_limit: 2 });
		await until(async () => (await getEval(created.id)).eval.status, 'failed');
		const { eval: record } = await getEval(created.id);
		expect(record.error).toMatch(/swift eval exited with code 1/);
		expect(record.error).toMatch(/Unknown benchmark: nosuchbench/);
		expect(logOf(`eval:${created.id}`).some((line) => line.includes('Traceback (most recent call last)'))).toBe(true);
	});
});

describe('swift export', () => {
	it('merges the adapter into a new swift model, then quantises that with bitsandbytes, both listed on the Models page', async () => {
		const job = await startExport(checkpoint.id, { merge_lora: true });
		await until(async () => (await getJob(job.id)).status, 'succeeded');
		const merged = (await models()).find((m) => m.baseModelId === checkpoint.id && m.engine === 'swift');
		expect(merged).toMatchObject({ name: `${checkpoint.name} (merged)`, kind: 'merged', format: 'full', architecture: 'transformers', runId: checkpoint.runId });
		expect(merged!.sizeBytes).toBeGreaterThan(0);
		expect(logOf(`job:${job.id}`).some((line) => line.includes('--merge_lora true') && line.includes('--adapters'))).toBe(true);
		const folder = path.join(server.dataDir, 'models', merged!.id);
		expect(fs.readdirSync(folder).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors']));

		const quantised = await startExport(merged!.id, { quant_method: 'bnb', quant_bits: 4 });
		await until(async () => (await getJob(quantised.id)).status, 'succeeded');
		const int4 = (await models()).find((m) => m.baseModelId === merged!.id);
		expect(int4).toMatchObject({ name: `${checkpoint.name} (merged) (bnb-int4)`, engine: 'swift', format: 'full' });
		const config = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'models', int4!.id, 'config.json'), 'utf8'));
		expect(config.quantization_config).toEqual({ quant_method: 'bnb', bits: 4 });
		// The export is a model ms-swift can evaluate in turn.
		expect((await admin.json('POST', '/api/evals', { engine: 'swift', model: int4!.id, eval_dataset: ['gsm8k'], eval_limit: 1 })).status).toBe(201);
	});

	it('refuses what ms-swift cannot export, and a client-given output folder', async () => {
		const unmerged = await admin.json<{ error: { fields: Record<string, string> } }>('POST', `/api/models/${checkpoint.id}/swift-export`, { merge_lora: false });
		expect(unmerged.status).toBe(400);
		expect(unmerged.body.error.fields.merge_lora).toBeTruthy();
		const bits = await admin.json<{ error: { fields: Record<string, string> } }>('POST', `/api/models/${checkpoint.id}/swift-export`, { quant_method: 'awq', quant_bits: 8, calibration_dataset: 'arith' });
		expect(bits.body.error.fields.quant_bits).toMatch(/4 bits/);
		expect((await admin.json('POST', `/api/models/${checkpoint.id}/swift-export`, { output_dir: '/tmp/x' })).status).toBe(400);
	});

	it('stops an export while it calibrates and leaves no folder behind', async () => {
		const before = (await models()).length;
		const job = await startExport(checkpoint.id, { quant_method: 'awq', quant_bits: 4, calibration_dataset: 'arith' });
		await expect.poll(() => logOf(`job:${job.id}`).some((line) => line.startsWith('Calibrating awq')), { timeout: 15_000, interval: 50 }).toBe(true);
		const pid = streams.processGroup(`job:${job.id}`);
		expect(logOf(`job:${job.id}`)[0]).toContain('--merge_lora true --quant_method awq --quant_bits 4 --dataset data.jsonl --output_dir');
		expect((await admin.json('DELETE', `/api/jobs/${job.id}`)).status).toBe(200);
		await until(async () => (await getJob(job.id)).status, 'cancelled');
		await expect.poll(() => groupGone(pid), { timeout: 3000, interval: 50 }).toBe(true);
		expect((await models()).length).toBe(before);
	});

	it('shows a failed export its traceback and registers nothing', async () => {
		const before = (await models()).length;
		const job = await startExport(checkpoint.id, { quant_method: 'fp8', quant_bits: 8 });
		await until(async () => (await getJob(job.id)).status, 'failed');
		expect((await getJob(job.id)).error).toMatch(/swift export exited with code 1[\s\S]*FP8 quantization needs a CUDA GPU/);
		expect((await models()).length).toBe(before);
	});
});
