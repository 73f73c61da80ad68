// Section `datasets`: a 1 GiB JSONL chat set uploaded through the real multipart route of the app running
// in this process, with the server's resident memory sampled throughout (the upload and import must
// stream, not buffer); then importDataset alone on the same file against a plain Python json.loads loop.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startApp } from '../../../src/lib/server/app';
import { readServerConfig } from '../../../src/lib/server/config';
import { importDataset } from '../../../src/lib/server/datasets/importDataset';
import { printTable, round, type BenchSection, type Figures } from '../section';

const TARGET_BYTES = 1024 ** 3;
const MB = 1024 ** 2;

/** Deterministic ASCII chat rows (a small LCG picks the words) until the file reaches `bytes`. */
async function writeChatJsonl(file: string, bytes: number): Promise<number> {
	const words = ['model', 'token', 'image', 'train', 'swift', 'board', 'loss', 'step', 'batch', 'layer', 'adapter', 'answer', 'question', 'data'];
	let seed = 12345;
	const next = () => (seed = (seed * 1103515245 + 12345) >>> 0);
	const sentence = (n: number) => Array.from({ length: n }, () => words[next() % words.length]).join(' ');
	let written = 0;
	let rows = 0;
	async function* chunks() {
		while (written < bytes) {
			let chunk = '';
			while (chunk.length < 4 * MB) {
				const row = { messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: `${sentence(8 + (next() % 24))}?` }, { role: 'assistant', content: `${sentence(20 + (next() % 80))}.` }] };
				chunk += JSON.stringify(row) + '\n';
				rows++;
			}
			written += chunk.length;
			yield chunk;
		}
	}
	await pipeline(chunks, fs.createWriteStream(file));
	return rows;
}

/** POSTs the file as multipart, streaming it from disk, and resolves with the status and JSON answer. */
function uploadStreaming(url: string, cookie: string, file: string, name: string): Promise<{ status: number; body: unknown }> {
	const boundary = `swiftboardbench${Date.now()}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nbench\r\n` +
			`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/x-ndjson\r\n\r\n`
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	return new Promise((resolve, reject) => {
		const req = request(`${url}/api/datasets`, {
			method: 'POST',
			headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + fs.statSync(file).size + tail.length }
		});
		req.on('response', (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
		});
		req.on('error', reject);
		req.write(head);
		const source = fs.createReadStream(file, { highWaterMark: MB });
		source.on('error', reject);
		source.on('end', () => req.end(tail));
		source.pipe(req, { end: false });
	});
}

function timePythonJson(file: string): number {
	const script = 'import json,sys\nfor line in open(sys.argv[1], "rb"):\n    json.loads(line)\n';
	const started = performance.now();
	const result = spawnSync('python3', ['-c', script, file], { stdio: ['ignore', 'ignore', 'pipe'] });
	if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr.toString()}`);
	return (performance.now() - started) / 1000;
}

export const datasetsSection: BenchSection = {
	name: 'datasets',
	description: '1 GiB JSONL upload through the real route (server RSS growth) and validation speed against Python json.loads',
	async run(): Promise<Figures> {
		const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-bench-datasets-'));
		const dataDir = path.join(workDir, 'data');
		const file = path.join(workDir, 'chat.jsonl');
		const server = createServer();
		try {
			const rows = await writeChatJsonl(file, TARGET_BYTES);
			const sizeMb = fs.statSync(file).size / MB;

			const config = { ...readServerConfig({ SWIFTBOARD_DATA_DIR: dataDir, SWIFTBOARD_HEARTBEAT_MS: '0', SWIFTBOARD_DEMO_DATASETS: '0' }), port: 0 };
			const app = await startApp(config, server);
			server.on('request', (req, res) => {
				if (req.url?.startsWith('/socket.io/')) return;
				app.uploadMiddleware(req, res, () => res.writeHead(404).end());
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
			const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
			let upload: { status: number; body: unknown };
			let uploadSeconds: number;
			let baselineRss: number;
			let peakRss: number;
			try {
				const { cookie } = await app.context.auth.setup({ username: 'bench', password: 'bench-password' });
				global.gc?.();
				baselineRss = process.memoryUsage.rss();
				peakRss = baselineRss;
				const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
				const started = performance.now();
				try {
					upload = await uploadStreaming(url, `${cookie.name}=${cookie.value}`, file, 'chat.jsonl');
				} finally {
					clearInterval(sampler);
				}
				uploadSeconds = (performance.now() - started) / 1000;
			} finally {
				await app.close();
				server.close();
			}
			const stored = (upload.body as { dataset?: { rowCount?: number } }).dataset?.rowCount ?? 0;
			if (upload.status !== 201 || stored !== rows) throw new Error(`upload answered ${upload.status}, ${stored} of ${rows} rows: ${JSON.stringify(upload.body).slice(0, 500)}`);
			fs.rmSync(dataDir, { recursive: true, force: true });

			const started = performance.now();
			const direct = await importDataset([{ path: file, name: 'chat.jsonl' }], { dataDir, datasetId: 'bench', skipInvalid: false });
			const validateSeconds = (performance.now() - started) / 1000;
			if (direct.summary.rowsStored !== rows) throw new Error(`importDataset stored ${direct.summary.rowsStored} of ${rows} rows`);
			fs.rmSync(dataDir, { recursive: true, force: true });
			const pythonSeconds = timePythonJson(file);

			const figures = {
				upload_rows: rows,
				upload_mb: round(sizeMb, 1),
				upload_seconds: round(uploadSeconds, 2),
				upload_rss_growth_mb: round((peakRss - baselineRss) / MB, 1),
				validate_mb_per_s: round(sizeMb / validateSeconds, 1),
				python_json_mb_per_s: round(sizeMb / pythonSeconds, 1),
				validate_vs_python: round(pythonSeconds / validateSeconds, 2)
			};
			printTable(
				`${rows} chat rows, ${figures.upload_mb} MB of JSONL`,
				['measure', 'value', 'target'],
				[
					['upload + import through POST /api/datasets (s)', figures.upload_seconds, ''],
					['server RSS growth during upload (MB)', figures.upload_rss_growth_mb, '< 150'],
					['importDataset (MB/s)', figures.validate_mb_per_s, ''],
					['python3 json.loads per line (MB/s)', figures.python_json_mb_per_s, ''],
					['importDataset vs python', figures.validate_vs_python, '>= 2']
				]
			);
			return figures;
		} finally {
			fs.rmSync(workDir, { recursive: true, force: true });
		}
	}
};
