// Section `load`: does the server stay responsive while it is busy? The real server runs as its own
// process (as in production); `/api/health` is timed from a third process, idle and then while 200
// socket.io viewers follow a live training run and 5 clients each upload 50 MB at once. Then a 200 MB
// single-line JSONL import is sent and the server's resident memory is sampled until it is refused.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import { setupAdmin, type ApiClient } from '../../helpers/api';
import { measureRssGrowth, uploadDataset, writeLongLine } from '../../helpers/datasetUpload';
import { arithmeticRows, seedDataset } from '../../helpers/seedDataset';
import { startServer, tempDataDir } from '../../helpers/server';
import { printTable, round, type BenchSection, type Figures } from '../section';

const here = path.dirname(fileURLToPath(import.meta.url));
const VIEWERS = 200;
const UPLOADS = 5;
const UPLOAD_BYTES = 50 * 1024 * 1024;
const LONG_LINE_BYTES = 200 * 1024 * 1024;
/** How long the idle server is probed, and the most the loaded phase may take. */
const PROBE_MS = 4000;
const MAX_LOAD_MS = 120_000;

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Starts timing /api/health from another process; `stop` ends it and gives the sorted latencies. */
function probeHealth(url: string, maxMs: number): { stop(): Promise<number[]> } {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../support/healthProbe.ts'), url, String(maxMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`health probe exited with ${code}`)))));
	return {
		async stop() {
			child.stdin.end('stop\n');
			await exited;
			return output.trim().split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
		}
	};
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connectViewers(url: string, cookie: string, stream: string): Promise<Socket[]> {
	const sockets: Socket[] = [];
	for (let i = 0; i < VIEWERS; i++) {
		const socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, forceNew: true, reconnection: false });
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		await new Promise<void>((resolve) => socket.emit('stream:subscribe', { stream }, () => resolve()));
		sockets.push(socket);
	}
	return sockets;
}

async function uploadAll(url: string, client: ApiClient, file: string): Promise<number[]> {
	return Promise.all(
		Array.from({ length: UPLOADS }, async () => {
			const form = new FormData();
			form.append('file', await fs.openAsBlob(file), 'load.bin');
			const response = await fetch(`${url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
			await response.arrayBuffer();
			return response.status;
		})
	);
}

export const loadSection: BenchSection = {
	name: 'load',
	description: `/api/health p99 idle and under ${VIEWERS} viewers + ${UPLOADS} x 50 MB uploads; RSS growth of a refused 200 MB line`,
	async run(): Promise<Figures> {
		const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-load-'));
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(64));
		const server = await startServer({ dataDir });
		try {
			const admin = await setupAdmin(server.url);
			const idleProbe = probeHealth(server.url, PROBE_MS);
			await sleep(PROBE_MS);
			const idle = await idleProbe.stop();

			const run = await admin.json<{ run: { id: string } }>('POST', '/api/runs', {
				name: 'load', model: 'nano', dataset: 'arith', max_steps: 100_000, per_device_train_batch_size: 4, max_length: 64, logging_steps: 1, save_steps: 100_000
			});
			if (run.status !== 201) throw new Error(`the run was refused: ${JSON.stringify(run.body)}`);
			const viewers = await connectViewers(server.url, admin.cookie, `run:${run.body.run.id}`);
			let events = 0;
			for (const socket of viewers) socket.on('stream:event', () => events++);
			const uploadFile = path.join(scratch, 'upload.bin');
			fs.writeFileSync(uploadFile, Buffer.alloc(UPLOAD_BYTES, 7));
			const started = performance.now();
			const loadProbe = probeHealth(server.url, MAX_LOAD_MS);
			const statuses = await uploadAll(server.url, admin, uploadFile);
			const uploadMs = performance.now() - started;
			const loaded = await loadProbe.stop();
			for (const socket of viewers) socket.close();
			await admin.request('POST', `/api/runs/${run.body.run.id}/stop`);
			if (statuses.some((s) => s !== 201)) throw new Error(`uploads answered ${statuses.join(', ')}`);

			// The server is warm by now (hashing thread, modules): the growth measured is the import's own.
			const longFile = path.join(scratch, 'long.jsonl');
			await writeLongLine(longFile, LONG_LINE_BYTES);
			const { result, growthBytes } = await measureRssGrowth(server.process.pid!, () => uploadDataset(server.url, admin, [{ name: 'long.jsonl', path: longFile }]));
			if (result.status !== 422) throw new Error(`the long line was not refused: ${result.status}`);

			const figures = {
				health_p99_ms_idle: round(percentile(idle, 99), 2),
				health_p99_ms_load: round(percentile(loaded, 99), 2),
				import_peak_rss_mb_long_line: round(growthBytes / 1024 / 1024, 1)
			};
			printTable(
				'server responsiveness and memory',
				['case', 'samples', 'p50 ms', 'p99 ms', 'max ms', 'target'],
				[
					['health, idle', idle.length, round(percentile(idle, 50), 2), figures.health_p99_ms_idle, round(idle.at(-1)!, 1), ''],
					[`health, ${VIEWERS} viewers (${events} events) + ${UPLOADS} x 50 MB uploads (${round(uploadMs / 1000, 1)} s)`, loaded.length, round(percentile(loaded, 50), 2), figures.health_p99_ms_load, round(loaded.at(-1)!, 1), 'p99 < 100'],
					['200 MB single-line import refused: RSS growth MB', 1, '', '', figures.import_peak_rss_mb_long_line, '< 150']
				]
			);
			return figures;
		} finally {
			await server.stop();
			fs.rmSync(scratch, { recursive: true, force: true });
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	}
};
