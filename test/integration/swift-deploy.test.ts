import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointInfo } from '../../src/lib/shared/endpoints';
import type { GenerationResult, GenerationStarted } from '../../src/lib/shared/inference';
import type { JobRecord } from '../../src/lib/shared/jobs';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { addUser, setupAdmin, type ApiClient } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

// `swift deploy` as a long-running job against the test double of ms-swift's CLI, which serves an
// OpenAI-compatible API (/health, /v1/models, streamed /v1/chat/completions) on the port it is given.
const fixture = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/swift/swift');

let server: TestServer;
let admin: ApiClient;
let member: ApiClient;
let socket: Socket;
let checkpoint: ModelSummary;
const live = new Map<string, StreamEvent[]>();

const getJob = async (id: string) => (await admin.json<{ job: JobRecord }>('GET', `/api/jobs/${id}`)).body.job;
const endpoints = async () => (await admin.json<{ endpoints: EndpointInfo[] }>('GET', '/api/endpoints')).body.endpoints;
const logOf = (stream: string) => (live.get(stream) ?? []).filter((e) => e.type === 'log').map((e) => (e.data as { line: string }).line);

async function follow(stream: string): Promise<void> {
	live.set(stream, []);
	const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('stream:subscribe', { stream, afterSeq: 0 }, resolve));
	expect(ack).toMatchObject({ ok: true });
}

async function deploy(body: Record<string, unknown> = {}): Promise<JobRecord> {
	const started = await admin.json<{ job: JobRecord }>('POST', `/api/models/${checkpoint.id}/swift-deploy`, body);
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	await follow(`job:${started.body.job.id}`);
	return started.body.job;
}

function groupGone(pid: number): boolean {
	try {
		process.kill(-pid, 0);
		return false;
	} catch {
		return true;
	}
}

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir, env: { SWIFTBOARD_SWIFT_BIN: fixture, SWIFT_FIXTURE_STEP_MS: '20', SWIFTBOARD_SWIFT_STOP_GRACE_S: '1' } });
	admin = await setupAdmin(server.url);
	member = await addUser(admin, 'member1', 'member');
	socket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: admin.cookie }, reconnection: false, forceNew: true });
	const keep = (event: StreamEvent) => {
		const list = live.get(event.stream);
		if (list && !list.some((e) => e.seq === event.seq)) list.push(event);
	};
	socket.on('stream:event', keep);
	socket.on('stream:replay', (batch: { events: StreamEvent[] }) => batch.events.forEach(keep));
	const run = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { name: 'tuned', engine: 'swift', model: 'Qwen/Qwen2.5-0.5B-Instruct', dataset: 'arith', max_steps: 2, save_steps: 2, logging_steps: 1 });
	// Polled by hand: expect.poll belongs to tests, not to their setup.
	for (const started = Date.now(); Date.now() - started < 20_000 && !checkpoint; await new Promise((resolve) => setTimeout(resolve, 100))) {
		checkpoint = (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.find((m) => m.runId === run.body.run.id)!;
	}
	expect(checkpoint, 'the swift run saved its checkpoint').toBeDefined();
}, 90_000);

afterAll(async () => {
	socket?.close();
	await server?.stop();
});

/** One chat generation through an endpoint, followed on its stream until it ends. */
async function chat(endpointId: string, content: string): Promise<{ deltas: string[]; result: GenerationResult }> {
	const started = await admin.json<GenerationStarted>('POST', '/api/generations', { modelId: `endpoint:${endpointId}`, messages: [{ role: 'user', content }], sampling: { max_new_tokens: 32 } });
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	await follow(started.body.stream);
	await expect.poll(() => (live.get(started.body.stream) ?? []).some((e) => e.type === 'done' || e.type === 'error'), { timeout: 10_000, interval: 20 }).toBe(true);
	const events = live.get(started.body.stream)!;
	const end = events.find((e) => e.type === 'done' || e.type === 'error')!;
	expect(end.type, JSON.stringify(end.data)).toBe('done');
	return { deltas: events.filter((e) => e.type === 'delta').map((e) => (e.data as { text: string }).text), result: end.data as GenerationResult };
}

describe('swift deploy', () => {
	it('is for admins: it registers an endpoint', async () => {
		expect((await member.json('POST', `/api/models/${checkpoint.id}/swift-deploy`, {})).status).toBe(403);
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', `/api/models/${checkpoint.id}/swift-deploy`, { port: 80 });
		expect(bad.status).toBe(400);
	});

	it('serves the model, registers a healthy endpoint that chat streams through, and stopping removes it', async () => {
		const job = await deploy();
		const name = `${checkpoint.name} (swift deploy)`;
		await expect.poll(async () => (await endpoints()).find((e) => e.name === name)?.health?.ok, { timeout: 15_000, interval: 100 }).toBe(true);
		const endpoint = (await endpoints()).find((e) => e.name === name)!;
		expect(endpoint).toMatchObject({ model: 'tuned-checkpoint-2', hasApiKey: false, mediaStyle: 'vllm', health: { ok: true, via: 'health' } });
		expect(endpoint.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect((await getJob(job.id)).status).toBe('running');
		const log = logOf(`job:${job.id}`);
		expect(log[0]).toMatch(/^\$ CUDA_VISIBLE_DEVICES='' swift deploy --model Qwen\/Qwen2\.5-0\.5B-Instruct --adapters checkpoint-2 --host 127\.0\.0\.1 --port \d+ --served_model_name tuned-checkpoint-2$/);

		const { deltas, result } = await chat(endpoint.id, 'hello from the deploy');
		expect(result.text).toBe('You said: hello from the deploy');
		expect(deltas.length).toBeGreaterThan(2);
		expect(deltas.join('')).toBe(result.text);

		// One server per model at a time.
		expect((await admin.json('POST', `/api/models/${checkpoint.id}/swift-deploy`, {})).status).toBe(409);

		const pid = Number(/process group (\d+)/.exec(logOf(`job:${job.id}`).join('\n'))?.[1]);
		expect(pid).toBeGreaterThan(0);
		expect((await admin.json('DELETE', `/api/jobs/${job.id}`)).status).toBe(200);
		await expect.poll(async () => (await getJob(job.id)).status, { timeout: 10_000, interval: 50 }).toBe('cancelled');
		await expect.poll(async () => (await endpoints()).some((e) => e.name === name), { timeout: 5000, interval: 50 }).toBe(false);
		await expect.poll(() => groupGone(pid), { timeout: 3000, interval: 50 }).toBe(true);
	});

	it('shows a deploy that cannot start its failure, and registers nothing', async () => {
		const job = await deploy({ infer_backend: 'vllm' });
		await expect.poll(async () => (await getJob(job.id)).status, { timeout: 10_000, interval: 50 }).toBe('failed');
		expect((await getJob(job.id)).error).toMatch(/swift deploy exited with code 1[\s\S]*vLLM needs a CUDA GPU/);
		expect((await endpoints()).some((e) => e.name.includes('swift deploy'))).toBe(false);
	});
});
