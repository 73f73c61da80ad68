import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/database';
import type { EndpointInfo } from '../../src/lib/shared/endpoints';
import type { EvalRecord } from '../../src/lib/shared/evalJob';
import type { GenerationResult, GenerationStarted } from '../../src/lib/shared/inference';
import type { JobRecord } from '../../src/lib/shared/jobs';
import type { ModelSummary } from '../../src/lib/shared/models';
import { addUser, ApiClient, setupAdmin } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { groupGone, pathWithTwoGpus, StreamRecorder, swiftCheckpoint, swiftFixture } from '../helpers/swiftJobs';

// `swift deploy` as a long-running job against the test double of ms-swift's CLI, which serves an
// OpenAI-compatible API (/health, /v1/models, streamed /v1/chat/completions) on the port it is given.
// One server sees two GPUs (the stand-in nvidia-smi), one has only the CPU slot.

interface Machine {
	server: TestServer;
	env: Record<string, string>;
	admin: ApiClient;
	streams: StreamRecorder;
	checkpoint: ModelSummary;
}

async function machine(extraEnv: Record<string, string>): Promise<Machine> {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	const env = { SWIFTBOARD_SWIFT_BIN: swiftFixture, SWIFT_FIXTURE_STEP_MS: '20', SWIFTBOARD_SWIFT_STOP_GRACE_S: '1', ...extraEnv };
	const server = await startServer({ dataDir, env });
	const admin = await setupAdmin(server.url);
	return { server, env, admin, streams: new StreamRecorder(server.url, admin), checkpoint: await swiftCheckpoint(admin, 'arith') };
}

let gpuBox: Machine;
let cpuBox: Machine;

beforeAll(async () => {
	[gpuBox, cpuBox] = await Promise.all([machine({ PATH: pathWithTwoGpus }), machine({})]);
}, 120_000);

afterAll(async () => {
	for (const box of [gpuBox, cpuBox]) {
		box?.streams.close();
		await box?.server.stop();
	}
});

const getJob = async (box: Machine, id: string) => (await box.admin.json<{ job: JobRecord }>('GET', `/api/jobs/${id}`)).body.job;
const endpoints = async (box: Machine) => (await box.admin.json<{ endpoints: EndpointInfo[] }>('GET', '/api/endpoints')).body.endpoints;

async function deploy(box: Machine, body: Record<string, unknown> = {}): Promise<JobRecord> {
	const started = await box.admin.json<{ job: JobRecord }>('POST', `/api/models/${box.checkpoint.id}/swift-deploy`, body);
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	await box.streams.follow(`job:${started.body.job.id}`);
	return started.body.job;
}

/** One chat generation through an endpoint, followed on its stream until it ends. */
async function chat(box: Machine, endpointId: string, content: string): Promise<{ deltas: string[]; result: GenerationResult }> {
	const started = await box.admin.json<GenerationStarted>('POST', '/api/generations', { modelId: `endpoint:${endpointId}`, messages: [{ role: 'user', content }], sampling: { max_new_tokens: 32 } });
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	await box.streams.follow(started.body.stream);
	const end = () => box.streams.of(started.body.stream).find((e) => e.type === 'done' || e.type === 'error');
	await expect.poll(() => end() !== undefined, { timeout: 10_000, interval: 20 }).toBe(true);
	expect(end()!.type, JSON.stringify(end()!.data)).toBe('done');
	const deltas = box.streams.of(started.body.stream).filter((e) => e.type === 'delta').map((e) => (e.data as { text: string }).text);
	return { deltas, result: end()!.data as GenerationResult };
}

describe('swift deploy', () => {
	it('is for admins, as it registers an endpoint; the port and host are the server’s', async () => {
		const member = await addUser(cpuBox.admin, 'member1', 'member');
		expect((await member.json('POST', `/api/models/${cpuBox.checkpoint.id}/swift-deploy`, {})).status).toBe(403);
		expect((await cpuBox.admin.json('POST', `/api/models/${cpuBox.checkpoint.id}/swift-deploy`, { port: 80 })).status).toBe(400);
	});

	it('serves on a GPU slot, registers a healthy endpoint that chat streams through and swift eval evaluates, and stopping removes it', async () => {
		const box = gpuBox;
		const job = await deploy(box);
		const name = `${box.checkpoint.name} (swift deploy)`;
		await expect.poll(async () => (await endpoints(box)).find((e) => e.name === name)?.health?.ok, { timeout: 15_000, interval: 100 }).toBe(true);
		const endpoint = (await endpoints(box)).find((e) => e.name === name)!;
		expect(endpoint).toMatchObject({ model: 'tuned-checkpoint-2', hasApiKey: false, mediaStyle: 'vllm', health: { ok: true, via: 'health' } });
		expect(endpoint.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(await getJob(box, job.id)).toMatchObject({ status: 'running', assignedDevice: 'cuda:0' });
		expect(box.streams.logOf(`job:${job.id}`)[0]).toMatch(/^\$ CUDA_VISIBLE_DEVICES=0 swift deploy --model Qwen\/Qwen2\.5-0\.5B-Instruct --adapters checkpoint-2 --host 127\.0\.0\.1 --port \d+ --served_model_name tuned-checkpoint-2$/);

		const { deltas, result } = await chat(box, endpoint.id, 'hello from the deploy');
		expect(result.text).toBe('You said: hello from the deploy');
		expect(deltas.length).toBeGreaterThan(2);
		expect(deltas.join('')).toBe(result.text);

		// swift eval of the deployed server, through the endpoint registry, on another slot while it serves.
		const evaluated = await box.admin.json<{ eval: EvalRecord }>('POST', '/api/evals', { engine: 'swift', model: `endpoint:${endpoint.id}`, eval_dataset: ['gsm8k'], eval_limit: 2 });
		expect(evaluated.status, JSON.stringify(evaluated.body)).toBe(201);
		const evalStream = `eval:${evaluated.body.eval.id}`;
		await box.streams.follow(evalStream);
		await expect.poll(async () => (await box.admin.json<{ eval: EvalRecord }>('GET', `/api/evals/${evaluated.body.eval.id}`)).body.eval.status, { timeout: 15_000, interval: 50 }).toBe('succeeded');
		expect(box.streams.logOf(evalStream)[0]).toBe(`$ swift eval --model tuned-checkpoint-2 --eval_url ${endpoint.baseUrl}/v1 --eval_backend Native --eval_dataset gsm8k --eval_limit 2 --eval_output_dir swift`);
		expect(box.streams.logOf(evalStream).some((line) => line.endsWith('/v1/chat/completions answered: You said: Natalia sold clips to 48 of her friends.'))).toBe(true);

		// One server per model at a time, and the model it serves stays until the deploy stops.
		expect((await box.admin.json('POST', `/api/models/${box.checkpoint.id}/swift-deploy`, {})).status).toBe(409);
		const removal = await box.admin.json<{ error: { message: string } }>('DELETE', `/api/models/${box.checkpoint.id}`);
		expect(removal.status).toBe(409);
		expect(removal.body.error.message).toMatch(/ms-swift serves this model \(deploy job .+\); stop the deploy first/);

		const pid = box.streams.processGroup(`job:${job.id}`);
		expect(pid).toBeGreaterThan(0);
		expect((await box.admin.json('DELETE', `/api/jobs/${job.id}`)).status).toBe(200);
		await expect.poll(async () => (await getJob(box, job.id)).status, { timeout: 10_000, interval: 50 }).toBe('cancelled');
		await expect.poll(async () => (await endpoints(box)).some((e) => e.name === name), { timeout: 5000, interval: 50 }).toBe(false);
		await expect.poll(() => groupGone(pid), { timeout: 3000, interval: 50 }).toBe(true);
	});

	it('serves on the CPU slot where there is no GPU; a backend that needs one fails there with its traceback and registers nothing', async () => {
		const box = cpuBox;
		const served = await deploy(box);
		await expect.poll(async () => (await endpoints(box)).some((e) => e.health?.ok), { timeout: 15_000, interval: 100 }).toBe(true);
		expect(await getJob(box, served.id)).toMatchObject({ status: 'running', assignedDevice: 'cpu' });
		await box.admin.json('DELETE', `/api/jobs/${served.id}`);
		await expect.poll(async () => (await endpoints(box)).length, { timeout: 5000, interval: 50 }).toBe(0);

		const job = await deploy(box, { infer_backend: 'vllm' });
		await expect.poll(async () => (await getJob(box, job.id)).status, { timeout: 10_000, interval: 50 }).toBe('failed');
		expect((await getJob(box, job.id)).error).toMatch(/swift deploy exited with code 1[\s\S]*vLLM needs a CUDA GPU/);
		expect(await endpoints(box)).toEqual([]);
	});

	it('a restarted server removes the endpoints its earlier deploys registered, since it serves none of them', async () => {
		const box = cpuBox;
		await deploy(box);
		await expect.poll(async () => (await endpoints(box)).some((e) => e.health?.ok), { timeout: 15_000, interval: 100 }).toBe(true);
		box.streams.close();
		await box.server.stop();
		const deployedRows = () => {
			const db = openDatabase(path.join(box.server.dataDir, 'swiftboard.db'));
			try {
				return db.prepare('SELECT name FROM endpoints WHERE deploy_job_id IS NOT NULL').all();
			} finally {
				db.close();
			}
		};
		// Shutting down ended the deploy's process group but left its endpoint registered.
		expect(deployedRows()).toHaveLength(1);
		const cookie = box.admin.cookie;
		box.server = await startServer({ dataDir: box.server.dataDir, env: box.env });
		box.admin = new ApiClient(box.server.url);
		box.admin.cookie = cookie;
		box.streams = new StreamRecorder(box.server.url, box.admin);
		expect(await endpoints(box)).toEqual([]);
		expect(deployedRows()).toHaveLength(0);
	});
});
