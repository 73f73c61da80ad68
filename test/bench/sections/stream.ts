// Section `stream`: how fast a metric point travels from a device worker through the server (SQLite,
// logging.jsonl, socket.io) to browsers, with 1 and 100 viewers, and how long a reconnecting viewer
// waits for a 10k-point replay. The real app runs in this process; the device worker is swapped for
// one that reports stamped points at a fixed rate.

import fs from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { startApp, type RunningApp } from '../../../src/lib/server/app';
import { readServerConfig } from '../../../src/lib/server/config';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent } from '../../../src/lib/shared/realtime';
import type { SessionUser } from '../../../src/lib/shared/auth';
import { printTable, round, type BenchSection, type Figures } from '../section';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const emitterWorker = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/metricEmitterWorker.ts');
const POINTS_PER_CASE = 300;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function connect(url: string, cookie: string): Promise<ClientSocket> {
	const socket: ClientSocket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnection: false });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	return socket;
}

function subscribe(socket: ClientSocket, stream: string, afterSeq?: number): Promise<void> {
	return new Promise((resolve, reject) =>
		socket.emit('stream:subscribe', { stream, afterSeq }, (ack) => (ack.ok ? resolve() : reject(new Error(ack.error.message))))
	);
}

async function waitForStatus(app: RunningApp, runId: string, status: string): Promise<void> {
	while (app.context.runs.get(runId).status !== status) await new Promise((r) => setTimeout(r, 20));
}

async function measureLatency(app: RunningApp, url: string, cookie: string, user: SessionUser, viewers: number): Promise<number[]> {
	const run = app.context.runs.create({ name: `bench-${viewers}`, model: 'nano', dataset: 'bench', max_steps: POINTS_PER_CASE }, user);
	const sockets = await Promise.all(Array.from({ length: viewers }, () => connect(url, cookie)));
	const latencies: number[] = [];
	for (const socket of sockets) {
		socket.on('stream:event', (event: StreamEvent) => {
			const sentAt = (event.data as { bench_sent_at?: number }).bench_sent_at;
			if (event.type === 'metrics' && sentAt !== undefined) latencies.push(performance.timeOrigin + performance.now() - sentAt);
		});
		await subscribe(socket, `run:${run.id}`);
	}
	// The run starts as soon as it is queued, so the first points may pass before every viewer has
	// subscribed: only points seen live are counted.
	await waitForStatus(app, run.id, 'succeeded');
	await new Promise((r) => setTimeout(r, 100));
	for (const socket of sockets) socket.close();
	return latencies.sort((a, b) => a - b);
}

async function measureReplay(app: RunningApp, url: string, cookie: string, user: SessionUser, points: number): Promise<number> {
	process.env.BENCH_EMIT_INTERVAL_MS = '0';
	const run = app.context.runs.create({ name: 'bench-replay', model: 'nano', dataset: 'bench', max_steps: points }, user);
	await waitForStatus(app, run.id, 'succeeded');
	const socket = await connect(url, cookie);
	let received = 0;
	const started = performance.now();
	const done = new Promise<void>((resolve) => {
		const count = (n: number) => {
			received += n;
			if (received >= points) resolve();
		};
		socket.on('stream:replay', (batch) => count(batch.events.filter((e) => e.type === 'metrics').length));
		socket.on('stream:event', (event) => count(event.type === 'metrics' ? 1 : 0));
	});
	await subscribe(socket, `run:${run.id}`, 0);
	await done;
	const elapsed = performance.now() - started;
	socket.close();
	return elapsed;
}

export const streamSection: BenchSection = {
	name: 'stream',
	description: 'metric latency worker -> socket.io client (1 and 100 viewers) and a 10k-point reconnect replay',
	async run(): Promise<Figures> {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-bench-'));
		process.env.BENCH_EMIT_INTERVAL_MS = '10';
		const server = createServer();
		const config = { ...readServerConfig({ SWIFTBOARD_DATA_DIR: dataDir, SWIFTBOARD_HEARTBEAT_MS: '0', SWIFTBOARD_DEMO_DATASETS: '0' }), port: 0 };
		const app = await startApp(config, server, { deviceWorker: emitterWorker });
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
		const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		try {
			const { user, cookie } = await app.context.auth.setup({ username: 'bench', password: 'bench-password' });
			fs.mkdirSync(path.join(dataDir, 'datasets', 'bench'), { recursive: true });
			fs.writeFileSync(path.join(dataDir, 'datasets', 'bench', 'data.jsonl'), '');
			app.context.datasets.insert({ id: 'bench', name: 'bench', ownerId: user.id, format: 'messages', rowCount: 0, errorCount: 0, stats: null, createdAt: Date.now() });
			await new Promise((r) => setTimeout(r, 500));

			const one = await measureLatency(app, url, `${cookie.name}=${cookie.value}`, user, 1);
			const hundred = await measureLatency(app, url, `${cookie.name}=${cookie.value}`, user, 100);
			const replayMs = await measureReplay(app, url, `${cookie.name}=${cookie.value}`, user, 10_000);

			const figures = {
				stream_p50_ms_1: round(percentile(one, 50), 3),
				stream_p99_ms_1: round(percentile(one, 99), 3),
				stream_p50_ms_100: round(percentile(hundred, 50), 3),
				stream_p99_ms_100: round(percentile(hundred, 99), 3),
				replay_10k_ms: round(replayMs, 1)
			};
			printTable(
				'worker -> server -> socket.io client',
				['case', 'samples', 'p50 ms', 'p99 ms', 'target'],
				[
					['1 viewer', one.length, figures.stream_p50_ms_1, figures.stream_p99_ms_1, ''],
					['100 viewers', hundred.length, figures.stream_p50_ms_100, figures.stream_p99_ms_100, 'p99 < 25'],
					['replay 10k points', 10_000, figures.replay_10k_ms, '', '< 200 ms']
				]
			);
			return figures;
		} finally {
			await app.close();
			server.close();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	}
};
