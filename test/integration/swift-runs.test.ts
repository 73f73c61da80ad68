import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwiftEngineInfo } from '../../src/lib/shared/engines';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import type { RunRecord, TrainMetrics } from '../../src/lib/shared/run/runRecord';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

// Runs on the swift engine against the test double of ms-swift's CLI (test/fixtures/swift/swift), which
// replays recorded logging lines of both key generations 100 ms apart and writes checkpoint folders,
// on a machine whose nvidia-smi (test/fixtures/nvidia-smi) reports two GPUs.
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const fixture = path.join(fixtures, 'swift/swift');

let server: TestServer;
let admin: ApiClient;
let socket: Socket;
const live = new Map<string, StreamEvent[]>();

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir, env: { SWIFTBOARD_SWIFT_BIN: fixture, SWIFT_FIXTURE_STEP_MS: '100', SWIFTBOARD_SWIFT_STOP_GRACE_S: '1', PATH: `${path.join(fixtures, 'nvidia-smi')}:${process.env.PATH}` } });
	admin = await setupAdmin(server.url);
	socket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: admin.cookie }, reconnection: false, forceNew: true });
	// Events arrive live, or in the replay of what came before the subscription; each is kept once, by its number.
	const keep = (event: StreamEvent) => {
		const list = live.get(event.stream);
		if (list && !list.some((e) => e.seq === event.seq)) list.push(event);
	};
	socket.on('stream:event', keep);
	socket.on('stream:replay', (batch: { events: StreamEvent[] }) => batch.events.forEach(keep));
}, 90_000);

afterAll(async () => {
	socket?.close();
	await server?.stop();
});

const swiftRun = { name: 'swift', engine: 'swift', dataset: 'arith', max_steps: 6, save_steps: 3, eval_steps: 3, logging_steps: 1 };

/** Creates a run and follows its stream over the socket, as the run page does. */
async function create(config: Record<string, unknown>): Promise<RunRecord> {
	const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', config);
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const { run } = created.body;
	live.set(`run:${run.id}`, []);
	const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('stream:subscribe', { stream: `run:${run.id}`, afterSeq: 0 }, resolve));
	expect(ack).toMatchObject({ ok: true });
	return run;
}

const getRun = async (id: string) => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${id}`)).body.run;
const events = (id: string) => live.get(`run:${id}`) ?? [];
const metricsOf = (id: string) => events(id).filter((e) => e.type === 'metrics').map((e) => e.data as TrainMetrics);
const logOf = (id: string) => events(id).filter((e) => e.type === 'log').map((e) => (e.data as { line: string }).line);
const untilStatus = (id: string, status: string) => expect.poll(async () => (await getRun(id)).status, { timeout: 20_000, interval: 100 }).toBe(status);

function groupGone(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return false;
	} catch {
		return true;
	}
}

describe('the swift engine', () => {
	it("lists ms-swift's version as the executable reports it", async () => {
		await expect
			.poll(async () => (await admin.json<{ engines: { swift: SwiftEngineInfo } }>('GET', '/api/models')).body.engines.swift, { timeout: 10_000 })
			.toEqual({ available: true, source: 'configured', version: '4.6.0', problem: null });
	});

	it('refuses a built-in preset as an ms-swift model, and a GPU for a built-in run stays refused', async () => {
		const preset = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...swiftRun, model: 'nano' });
		expect(preset.status).toBe(400);
		expect(preset.body.error.fields.model).toBeTruthy();
		const gpu = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { name: 'b', model: 'nano', dataset: 'arith', device: 'cuda:0' });
		expect(gpu.status).toBe(400);
		expect(gpu.body.error.fields.device).toMatch(/CPU/);
	});

	it('streams metrics live, lists checkpoints in the run and the registry, and keeps ms-swift logging.jsonl as written', async () => {
		const run = await create({ ...swiftRun, model: 'Qwen/Qwen2.5-0.5B-Instruct' });
		await untilStatus(run.id, 'succeeded');
		const metrics = metricsOf(run.id);
		const train = metrics.filter((m) => m.loss !== undefined);
		expect(train.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
		// The newer key generation: train_speed(s/it) becomes seconds per step; GiB become bytes.
		expect(train[0]).toMatchObject({ max_steps: 6, grad_norm: 1.705, memory: 1.21 * 1024 ** 3 });
		expect(train[0].s_per_step).toBeGreaterThan(0);
		expect(train[0].token_acc).toBeCloseTo(0.5556, 4);
		expect(metrics.filter((m) => m.eval_loss !== undefined).map((m) => m.step)).toEqual([3, 6]);
		const checkpoints = events(run.id).filter((e) => e.type === 'checkpoint').map((e) => e.data);
		expect(checkpoints).toEqual([{ step: 3, name: 'checkpoint-3' }, { step: 6, name: 'checkpoint-6' }]);
		expect((await getRun(run.id)).lastCheckpoint).toBe('checkpoint-6');

		const listed = await admin.json<{ checkpoints: { name: string; complete: boolean }[] }>('GET', `/api/runs/${run.id}`);
		expect(listed.status).toBe(200);
		// The console adds nothing to ms-swift's own file: 6 steps, 2 evals and the closing summary.
		const logged = fs.readFileSync(path.join(server.dataDir, 'runs', run.id, 'logging.jsonl'), 'utf8').trim().split('\n');
		expect(logged).toHaveLength(9);
		expect(JSON.parse(logged.at(-1)!)).toHaveProperty('last_model_checkpoint');

		const models = await expect
			.poll(async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.filter((m) => m.runId === run.id), { timeout: 10_000 })
			.toHaveLength(2)
			.then(async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.filter((m) => m.runId === run.id));
		expect(models.map((m) => [m.step, m.engine, m.format, m.architecture])).toEqual(
			expect.arrayContaining([
				[3, 'swift', 'adapter', 'transformers'],
				[6, 'swift', 'adapter', 'transformers']
			])
		);
		// The built-in engine cannot load it, and says so.
		const exported = await admin.json<{ error: { message: string } }>('POST', `/api/models/${models[0].id}/export`);
		expect(exported.status).toBe(409);
		expect(exported.body.error.message).toMatch(/trained by ms-swift/);
		const merged = await admin.json<{ error: { message: string } }>('POST', `/api/models/${models[0].id}/merge`);
		expect(merged.status).toBe(409);
		const builtinFrom = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { name: 'b', model: models[0].id, dataset: 'arith' });
		expect(builtinFrom.status).toBe(409);
	});

	it('stops the whole process group (a rank worker ignoring SIGTERM included) and resumes from the checkpoint, with the older keys', async () => {
		const run = await create({ ...swiftRun, model: 'Qwen/legacy-stubborn', max_steps: 400, save_steps: 2 });
		await expect.poll(async () => (await getRun(run.id)).lastCheckpoint, { timeout: 20_000, interval: 100 }).toBeTruthy();
		const pid = Number(/process group (\d+)/.exec(logOf(run.id).join('\n'))?.[1]);
		expect(pid).toBeGreaterThan(0);
		const workerPid = Number(/rank 0 worker pid (\d+)/.exec(logOf(run.id).join('\n'))?.[1]);
		// The older key generation: train_speed(iter/s) and percentage, `acc` for the token accuracy.
		const first = metricsOf(run.id)[0];
		expect(first.s_per_step).toBeGreaterThan(0);
		expect(first.token_acc).toBeDefined();

		expect((await admin.json('POST', `/api/runs/${run.id}/stop`)).status).toBe(200);
		await untilStatus(run.id, 'stopped');
		// Killed at once; gone once init has reaped them.
		await expect.poll(() => groupGone(pid) && groupGone(workerPid), { timeout: 3000, interval: 50 }).toBe(true);

		const stopped = await getRun(run.id);
		const checkpointStep = Number(/checkpoint-(\d+)/.exec(stopped.lastCheckpoint ?? '')?.[1]);
		const seen = events(run.id).length;
		expect((await admin.json('POST', `/api/runs/${run.id}/resume`)).status).toBe(200);
		const resumed = () => events(run.id).slice(seen);
		const resumedSteps = () => resumed().filter((e) => e.type === 'metrics').map((e) => (e.data as TrainMetrics).step);
		await expect.poll(() => resumedSteps().length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(2);
		const script = fs.readFileSync(path.join(server.dataDir, 'runs', run.id, 'train.sh'), 'utf8');
		expect(script).toContain(`--resume_from_checkpoint ${path.join(server.dataDir, 'runs', run.id, `checkpoint-${checkpointStep}`)}`);
		// The curve continues from the step after the checkpoint, and ms-swift says where it resumed from.
		expect(resumedSteps()[0]).toBe(checkpointStep + 1);
		expect(resumed().some((e) => e.type === 'log' && /Resuming from checkpoint/.test((e.data as { line: string }).line))).toBe(true);
		// Points logged after the checkpoint before the stop are redrawn: viewers are told to drop them.
		const redrawn = resumed().some((e) => e.type === 'status' && (e.data as { resumedFromStep?: number }).resumedFromStep === checkpointStep);
		expect(redrawn).toBe(stopped.step > checkpointStep);
		await admin.json('POST', `/api/runs/${run.id}/stop`);
		await untilStatus(run.id, 'stopped');
	});

	it('holds every GPU of a run on several of them: a run queued for one of them waits until it ends', async () => {
		const devices = (await admin.json<{ devices: { id: string; busyWithJob: string | null }[] }>('GET', '/api/devices')).body.devices;
		expect(devices.map((d) => d.id)).toEqual(['cuda:0', 'cuda:1', 'cpu']);
		const tooWide = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...swiftRun, model: 'Qwen/Qwen2.5-0.5B-Instruct', device: 'cuda:1', nproc_per_node: 2 });
		expect(tooWide.status).toBe(400);
		expect(tooWide.body.error.fields.nproc_per_node).toBeTruthy();

		const wide = await create({ ...swiftRun, name: 'wide', model: 'Qwen/Qwen2.5-0.5B-Instruct', device: 'cuda:0', nproc_per_node: 2, max_steps: 400, save_steps: 1000, eval_steps: 1000 });
		await expect.poll(() => metricsOf(wide.id).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
		expect(logOf(wide.id)).toContain('[INFO:swift] CUDA_VISIBLE_DEVICES=0,1 NPROC_PER_NODE=2');
		const narrow = await create({ ...swiftRun, name: 'narrow', model: 'Qwen/Qwen2.5-0.5B-Instruct', device: 'cuda:1' });
		const held = (await admin.json<{ devices: { id: string; busyWithJob: string | null }[] }>('GET', '/api/devices')).body.devices;
		expect(held.find((d) => d.id === 'cuda:1')?.busyWithJob).toBe((await getRun(wide.id)).jobId);
		// Steps of the wide run go on while the narrow one stays queued behind the GPU it holds.
		const seen = metricsOf(wide.id).length;
		await expect.poll(() => metricsOf(wide.id).length, { timeout: 20_000 }).toBeGreaterThan(seen + 2);
		expect((await getRun(narrow.id)).status).toBe('queued');
		expect((await getRun(wide.id)).status).toBe('running');

		expect((await admin.json('POST', `/api/runs/${wide.id}/stop`)).status).toBe(200);
		await untilStatus(narrow.id, 'succeeded');
		expect((await getRun(wide.id)).status).toBe('stopped');
		expect(logOf(narrow.id)).toContain('[INFO:swift] CUDA_VISIBLE_DEVICES=1 NPROC_PER_NODE=(unset)');
	});

	it('keeps a waiting run on several GPUs first in line: a GPU it waits for takes no new run', async () => {
		const long = { ...swiftRun, model: 'Qwen/Qwen2.5-0.5B-Instruct', max_steps: 400, save_steps: 1000, eval_steps: 1000 };
		const busy = await create({ ...long, name: 'busy', device: 'cuda:1' });
		await expect.poll(() => metricsOf(busy.id).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
		const wide = await create({ ...long, name: 'wide', device: 'cuda:0', nproc_per_node: 2 });
		const later = await create({ ...swiftRun, name: 'later', model: 'Qwen/Qwen2.5-0.5B-Instruct', device: 'cuda:1' });
		// cuda:0 is free, yet the wide run waits for cuda:1, and holds cuda:0 meanwhile.
		expect((await getRun(wide.id)).status).toBe('queued');
		expect((await admin.json('POST', `/api/runs/${busy.id}/stop`)).status).toBe(200);
		await untilStatus(wide.id, 'running');
		expect((await getRun(later.id)).status).toBe('queued');
		expect((await admin.json('POST', `/api/runs/${wide.id}/stop`)).status).toBe(200);
		await untilStatus(later.id, 'succeeded');
	});

	it('shows a failing run its exit code and console tail', async () => {
		const run = await create({ ...swiftRun, model: 'Qwen/fail-at-3' });
		await untilStatus(run.id, 'failed');
		const { error } = await getRun(run.id);
		expect(error).toMatch(/swift sft exited with code 1/);
		expect(error).toMatch(/CUDA out of memory/);
		expect(logOf(run.id).some((line) => line.includes('Traceback (most recent call last)'))).toBe(true);
		const runLog = fs.readFileSync(path.join(server.dataDir, 'runs', run.id, 'run.log'), 'utf8');
		expect(runLog).toMatch(/\[error\] swift sft exited with code 1/);
	});

	// Last: it stops the server.
	it('a server shutting down ends the ms-swift process group it started', async () => {
		const run = await create({ ...swiftRun, model: 'Qwen/legacy-stubborn', max_steps: 400 });
		await expect.poll(() => metricsOf(run.id).length, { timeout: 20_000, interval: 100 }).toBeGreaterThan(0);
		const pid = Number(/process group (\d+)/.exec(logOf(run.id).join('\n'))?.[1]);
		const workerPid = Number(/rank 0 worker pid (\d+)/.exec(logOf(run.id).join('\n'))?.[1]);
		await server.stop();
		await expect.poll(() => groupGone(pid) && groupGone(workerPid), { timeout: 3000, interval: 50 }).toBe(true);
	});
});
