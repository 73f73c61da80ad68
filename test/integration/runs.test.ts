import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeSavedModel } from '../../src/lib/engine/models/saved';
import { generateDemoDataset } from '../../src/lib/server/demo/generate';
import type { StreamEvent } from '../../src/lib/shared/realtime';
import type { RunRecord, TrainMetrics } from '../../src/lib/shared/run/runRecord';
import { adminCredentials, ApiClient, setupAdmin } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/waitFor';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.stop();
	server = null;
});

const runConfig = {
	name: 'arith',
	model: 'nano',
	dataset: 'arith',
	max_steps: 40,
	per_device_train_batch_size: 4,
	max_length: 64,
	learning_rate: 3e-3,
	tuner_type: 'full',
	save_steps: 5,
	eval_steps: 10,
	logging_steps: 1
};

const getRun = async (client: ApiClient, id: string) => {
	const response = await client.json<{ run: RunRecord }>('GET', `/api/runs/${id}`);
	if (response.status !== 200) throw new Error(`GET /api/runs/${id} answered ${response.status}: ${JSON.stringify(response.body)}`);
	return response.body.run;
};
const getEvents = async (client: ApiClient, id: string, after = 0) =>
	(await client.json<{ events: StreamEvent[] }>('GET', `/api/runs/${id}/metrics?after=${after}`)).body.events;
const stepsOf = (events: StreamEvent[]) => events.filter((e) => e.type === 'metrics').map((e) => (e.data as TrainMetrics).step);

describe('training runs', () => {
	it('rejects an invalid configuration with the field named', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(32));
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...runConfig, lora_rank: 0 });
		expect(bad.status).toBe(400);
		expect(Object.keys(bad.body.error.fields)).toContain('lora_rank');
		const noData = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...runConfig, dataset: 'missing' });
		expect(noData.status).toBe(400);
		expect(noData.body.error.fields.dataset).toBeTruthy();
		// The built-in engine computes on the CPU: a GPU slot is refused before anything is stored.
		const gpu = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...runConfig, device: 'cuda:0' });
		expect(gpu.status).toBe(400);
		expect(gpu.body.error.fields.device).toMatch(/CPU/);
		expect((await admin.json<{ runs: RunRecord[] }>('GET', '/api/runs')).body.runs).toHaveLength(0);
	});

	it('survives kill -9: the run is interrupted, no metric is lost, and resume continues from the checkpoint', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(64));
		server = await startServer({ dataDir });
		let admin = await setupAdmin(server.url);
		const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...runConfig, max_steps: 400 });
		expect(created.status).toBe(201);
		const runId = created.body.run.id;

		// Let it train past a checkpoint, then kill the server outright.
		await waitFor(() => getRun(admin, runId), (run) => run.status === 'running' && run.lastCheckpoint !== null && run.step >= 8);
		const before = await getEvents(admin, runId);
		await server.kill();

		server = await startServer({ dataDir });
		admin = new ApiClient(server.url);
		expect((await admin.request('POST', '/api/auth/login', adminCredentials)).status).toBe(200);
		const after = await getRun(admin, runId);
		expect(after.status).toBe('interrupted');
		const kept = await getEvents(admin, runId);
		// Every event the old server had sent is still there, in the same order.
		expect(kept.slice(0, before.length)).toEqual(before);
		const logged = fs.readFileSync(path.join(dataDir, 'runs', runId, 'logging.jsonl'), 'utf8').trim().split('\n');
		expect(logged.length).toBeGreaterThanOrEqual(stepsOf(before).length);

		const checkpointStep = Number(/checkpoint-(\d+)/.exec(after.lastCheckpoint ?? '')?.[1]);
		expect((await admin.json('POST', `/api/runs/${runId}/resume`)).status).toBe(200);
		const resumedAfter = kept.at(-1)?.seq ?? 0;
		const resumed = await waitFor(() => getEvents(admin, runId, resumedAfter), (events) => stepsOf(events).length >= 3);
		// The curve continues from the step after the checkpoint.
		expect(stepsOf(resumed)[0]).toBe(checkpointStep + 1);
		await admin.json('POST', `/api/runs/${runId}/stop`);
		await waitFor(() => getRun(admin, runId), (run) => run.status === 'stopped');
	});
});

describe('the run queue', () => {
	it('queues runs behind a busy device, reorders and cancels them', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(32));
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const create = async (name: string) =>
			(await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...runConfig, name, max_steps: 100_000, save_steps: 100_000 })).body.run;
		const first = await create('first');
		await waitFor(() => getRun(admin, first.id), (run) => run.status === 'running');
		const second = await create('second');
		const third = await create('third');
		expect((await getRun(admin, second.id)).status).toBe('queued');

		// Third goes ahead of second.
		const moved = await admin.json<{ runs: RunRecord[] }>('POST', `/api/runs/${third.id}/move`, { before: second.id });
		expect(moved.status).toBe(200);
		const jobs = (await admin.json<{ jobs: { id: string; status: string }[] }>('GET', '/api/jobs')).body.jobs.filter((j) => j.status === 'queued');
		expect(jobs.map((j) => j.id)).toEqual([(await getRun(admin, third.id)).jobId, (await getRun(admin, second.id)).jobId]);

		// Cancelling a queued run needs no device.
		expect((await admin.json('POST', `/api/runs/${second.id}/stop`)).status).toBe(200);
		expect((await getRun(admin, second.id)).status).toBe('cancelled');
		// A running run cannot be reordered or deleted.
		expect((await admin.json('POST', `/api/runs/${first.id}/move`, { before: null })).status).toBe(409);
		expect((await admin.json('DELETE', `/api/runs/${first.id}`)).status).toBe(409);

		// Stopping the first lets the third start.
		await admin.json('POST', `/api/runs/${first.id}/stop`);
		await waitFor(() => getRun(admin, third.id), (run) => run.status === 'running');
		await admin.json('POST', `/api/runs/${third.id}/stop`);
		await waitFor(() => getRun(admin, third.id), (run) => run.status === 'stopped');
		expect((await admin.json('DELETE', `/api/runs/${second.id}`)).status).toBe(200);
		expect(fs.existsSync(path.join(dataDir, 'runs', second.id))).toBe(false);
	});
});

/** A tiny demo set stored as the two datasets `tiny` and `tiny-val`, each with its media beside data.jsonl. */
async function seedTinyDemo(dataDir: string): Promise<void> {
	const demoDir = path.join(dataDir, 'demo-source');
	await generateDemoDataset({ outDir: demoDir, images: 24, audios: 12, videos: 8, valFraction: 0.25 });
	for (const [id, file] of [['tiny', 'train.jsonl'], ['tiny-val', 'val.jsonl']]) {
		const dir = path.join(dataDir, 'datasets', id);
		fs.mkdirSync(dir, { recursive: true });
		fs.cpSync(path.join(demoDir, 'media'), path.join(dir, 'media'), { recursive: true });
		const rows = fs.readFileSync(path.join(demoDir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
		seedDataset(dataDir, id, rows);
	}
}

const vlmConfig = {
	name: 'vlm',
	model: 'demo-vlm',
	dataset: 'tiny',
	val_dataset: 'tiny-val',
	tuner_type: 'full',
	freeze_vit: false,
	per_device_train_batch_size: 8,
	learning_rate: 1e-3,
	logging_steps: 1
};

const checkpointsOf = (dataDir: string, runId: string) =>
	fs.readdirSync(path.join(dataDir, 'runs', runId)).filter((name) => /^checkpoint-\d+$/.test(name)).sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
const lossesOf = (events: StreamEvent[]) =>
	new Map(events.filter((e) => e.type === 'metrics' && (e.data as TrainMetrics).loss !== undefined).map((e) => [(e.data as TrainMetrics).step, (e.data as TrainMetrics).loss]));

describe('multimodal runs', () => {
	it('trains demo-vlm on images, audio and video on the cpu slot, saves a checkpoint and reports held-out accuracy per question type', async () => {
		const dataDir = tempDataDir();
		await seedTinyDemo(dataDir);
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...vlmConfig, max_steps: 4, save_steps: 2, eval_steps: 2, save_total_limit: 1 });
		expect(created.status).toBe(201);
		const run = await waitFor(() => getRun(admin, created.body.run.id), (r) => r.status !== 'queued' && r.status !== 'running', 120_000);
		expect(run.status).toBe('succeeded');
		expect(run.device).toBe('cpu');
		const events = await getEvents(admin, run.id);
		expect(Math.max(...stepsOf(events))).toBe(4);
		const metrics = events.filter((e) => e.type === 'metrics').map((e) => e.data as Record<string, number>);
		// eval_loss at every eval_steps on the validation rows, and a throughput for the speed chart.
		expect(metrics.filter((m) => m.eval_loss !== undefined).map((m) => m.step)).toEqual([2, 4]);
		expect(metrics.some((m) => m.tokens_per_s > 0)).toBe(true);
		const last = metrics.at(-1) as Record<string, number>;
		const accuracyKeys = Object.keys(last).filter((k) => k.startsWith('eval_acc/'));
		// Every modality of the held-out rows was answered and scored.
		for (const modality of ['image_', 'audio_', 'video_']) expect(accuracyKeys.some((k) => k.startsWith(`eval_acc/${modality}`))).toBe(true);
		expect(accuracyKeys.every((k) => last[k] >= 0 && last[k] <= 1)).toBe(true);
		// save_total_limit 1 keeps the last checkpoint: a full multimodal model in the HF layout.
		expect(checkpointsOf(dataDir, run.id)).toEqual(['checkpoint-4']);
		expect(run.lastCheckpoint).toMatch(/checkpoint-4$/);
		const info = await describeSavedModel(path.join(dataDir, 'runs', run.id, 'checkpoint-4'));
		expect(info).toMatchObject({ architecture: 'multimodal', format: 'full' });
	});

	it('stops a LoRA demo-vlm run at a checkpoint and resumes it with the losses of an uninterrupted run', async () => {
		const dataDir = tempDataDir();
		await seedTinyDemo(dataDir);
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const config = { ...vlmConfig, tuner_type: 'lora', lora_rank: 4, freeze_vit: true, max_steps: 12, save_steps: 2, eval_steps: 100 };
		const straight = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...config, name: 'straight' });
		await waitFor(() => getRun(admin, straight.body.run.id), (r) => r.status === 'succeeded', 180_000);
		const expected = lossesOf(await getEvents(admin, straight.body.run.id));
		expect([...expected.keys()]).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));

		const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...config, name: 'interrupted' });
		const runId = created.body.run.id;
		await waitFor(() => getRun(admin, runId), (r) => r.status === 'running' && r.step >= 2, 120_000);
		await admin.json('POST', `/api/runs/${runId}/stop`);
		const stopped = await waitFor(() => getRun(admin, runId), (r) => r.status === 'stopped', 60_000);
		const stopStep = Number(/checkpoint-(\d+)$/.exec(stopped.lastCheckpoint ?? '')?.[1]);
		expect(stopStep).toBeGreaterThanOrEqual(2);
		expect(stopStep).toBeLessThan(12);
		// The checkpoint on disk is a PEFT adapter over the run's seeded base; the run names it by its folder.
		const stoppedDir = path.join(dataDir, 'runs', runId, stopped.lastCheckpoint ?? '');
		expect(fs.existsSync(path.join(stoppedDir, 'adapter_model.safetensors'))).toBe(true);
		expect(await describeSavedModel(stoppedDir)).toMatchObject({ architecture: 'multimodal', format: 'adapter' });

		const seen = (await getEvents(admin, runId)).at(-1)?.seq ?? 0;
		expect((await admin.json('POST', `/api/runs/${runId}/resume`)).status).toBe(200);
		await waitFor(() => getRun(admin, runId), (r) => r.status === 'succeeded', 180_000);
		const resumed = lossesOf(await getEvents(admin, runId, seen));
		expect([...resumed.keys()][0]).toBe(stopStep + 1);
		// The same updates on the same batches from the same state: the same losses, bit for bit.
		for (const [step, loss] of resumed) expect(loss, `step ${step}`).toBe(expected.get(step));
		expect(checkpointsOf(dataDir, runId).at(-1)).toBe('checkpoint-12');
	});
});
