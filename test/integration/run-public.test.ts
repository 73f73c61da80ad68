import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import type { RunHistoryPage } from '../../src/lib/shared/run/runHistory';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/waitFor';

/** What viewers of a run get: its answers, its page and its stream, checked for the server's paths; its history, in pages. */

const runConfig = {
	name: 'public',
	model: 'nano',
	dataset: 'arith',
	max_steps: 12,
	per_device_train_batch_size: 4,
	max_length: 64,
	learning_rate: 3e-3,
	tuner_type: 'full',
	save_steps: 4,
	eval_steps: 6,
	logging_steps: 1
};

let server: TestServer;
let admin: ApiClient;
let dataDir: string;
let runId: string;
const streamed: StreamEvent[] = [];

beforeAll(async () => {
	dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(32));
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', runConfig);
	expect(created.status).toBe(201);
	runId = created.body.run.id;

	// A viewer on the run's stream from the start: replay, then live events, to the end of the run.
	const socket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: admin.cookie }, reconnection: false, forceNew: true });
	socket.on('stream:event', (event) => streamed.push(event));
	socket.on('stream:replay', ({ events }) => streamed.push(...(events as StreamEvent[])));
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('stream:subscribe', { stream: `run:${runId}`, afterSeq: 0 }, resolve));
	expect(ack.ok).toBe(true);
	await waitFor(
		async () => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${runId}`)).body.run,
		(run) => run.status === 'succeeded' || run.status === 'failed'
	);
	await waitFor(async () => streamed.some((e) => e.type === 'status' && (e.data as { status: string }).status === 'succeeded'), Boolean, 10_000);
	socket.close();
}, 180_000);
afterAll(async () => {
	await server?.stop();
});

describe('a run as viewers see it', () => {
	it('shows checkpoints by name and never the data directory, in answers, the page and the stream', async () => {
		const answer = await admin.request('GET', `/api/runs/${runId}`);
		const text = await answer.text();
		const { run, checkpoints } = JSON.parse(text) as { run: RunRecord; checkpoints: { step: number; name: string }[] };
		expect(run.status).toBe('succeeded');
		expect(run.lastCheckpoint).toMatch(/^checkpoint-\d+$/);
		expect(checkpoints.length).toBeGreaterThan(0);
		for (const checkpoint of checkpoints) expect(checkpoint.name).toBe(`checkpoint-${checkpoint.step}`);
		expect(text).not.toContain(dataDir);

		for (const where of ['/api/runs', `/api/runs/${runId}/metrics?after=0`, `/runs/${runId}`, '/runs']) {
			const response = await admin.request('GET', where);
			expect(response.status, where).toBe(200);
			expect(await response.text(), where).not.toContain(dataDir);
		}

		const saved = streamed.filter((e) => e.type === 'checkpoint');
		expect(saved.length).toBeGreaterThan(0);
		for (const event of saved) expect(event.data).toEqual({ step: expect.any(Number), name: expect.stringMatching(/^checkpoint-\d+$/) });
		expect(JSON.stringify(streamed)).not.toContain(dataDir);
	});

	it('pages the history: every event once, in order, however small the pages', async () => {
		const whole = (await admin.json<RunHistoryPage>('GET', `/api/runs/${runId}/metrics?after=0`)).body;
		expect(whole.nextAfter).toBeNull();
		expect(whole.events.length).toBeGreaterThan(12);

		const paged: StreamEvent[] = [];
		let after: number | null = 0;
		let pages = 0;
		while (after !== null) {
			const { status, body }: { status: number; body: RunHistoryPage } = await admin.json<RunHistoryPage>('GET', `/api/runs/${runId}/metrics?after=${after}&limit=5`);
			expect(status).toBe(200);
			expect(body.events.length).toBeLessThanOrEqual(5);
			paged.push(...body.events);
			after = body.nextAfter;
			pages++;
		}
		expect(pages).toBeGreaterThan(2);
		expect(paged.map((e) => e.seq)).toEqual(whole.events.map((e) => e.seq));
		expect(paged.map((e) => e.seq)).toEqual([...paged.map((e) => e.seq)].sort((a, b) => a - b));

		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('GET', `/api/runs/${runId}/metrics?limit=0`);
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.limit).toBeTruthy();
	});
});
