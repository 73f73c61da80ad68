import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import { buildZip, PNG_BYTES } from '../../src/lib/server/datasets/testFixtures';
import { addUser, setupAdmin, type ApiClient } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
	// A dataset that ships with SwiftBoard (no owner), to check who may delete it.
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'shipped', arithmeticRows(3));
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
});

interface UploadAnswer {
	dataset: { id: string; rowCount: number } | null;
	summary: { files: { format: string | null }[] };
	errors: unknown[];
}

async function upload(client: ApiClient | null, files: { name: string; data: string | Buffer }[], fields: Record<string, string> = {}) {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) form.append(key, value);
	for (const file of files) form.append('files', new Blob([typeof file.data === 'string' ? file.data : new Uint8Array(file.data)]), file.name);
	const response = await fetch(`${server.url}/api/datasets`, { method: 'POST', body: form, headers: client ? { cookie: client.cookie } : {} });
	return { status: response.status, body: (await response.json()) as UploadAnswer };
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('datasets API', () => {
	it('imports CSV and Alpaca JSON, naming the detected format', async () => {
		const csv = await upload(admin, [{ name: 'qa.csv', data: 'query,response\n"What is 2+2?",4\n"Say ""hi""",hi\n' }], { name: 'qa' });
		expect(csv.status).toBe(201);
		expect(csv.body.summary.files[0].format).toBe('query_response');
		expect(csv.body.dataset?.rowCount).toBe(2);
		const alpaca = await upload(admin, [{ name: 'a.json', data: JSON.stringify([{ instruction: 'add', input: '1+1', output: '2' }]) }]);
		expect(alpaca.status).toBe(201);
		expect(alpaca.body.summary.files[0].format).toBe('alpaca');
	});

	it('answers 422 with row-level problems, then imports the valid rows on request', async () => {
		const data = jsonl([
			{ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
			{ messages: [{ role: 'user', content: 'no answer' }] },
			{ messages: [{ role: 'user', content: '<image>what?' }, { role: 'assistant', content: 'a dot' }], images: ['dot.png'] }
		]);
		const refused = await upload(admin, [{ name: 'chat.jsonl', data }, { name: 'dot.png', data: PNG_BYTES }]);
		expect(refused.status).toBe(422);
		expect(refused.body.dataset).toBeNull();
		expect(refused.body.errors).toEqual([expect.objectContaining({ file: 'chat.jsonl', line: 2, kind: 'no_assistant' })]);

		const kept = await upload(admin, [{ name: 'chat.jsonl', data }, { name: 'dot.png', data: PNG_BYTES }], { skipInvalid: 'true', name: 'chat' });
		expect(kept.status).toBe(201);
		const id = kept.body.dataset?.id ?? '';

		const rows = await admin.json<{ rows: { index: number; row: { images?: string[] } }[]; total: number }>('GET', `/api/datasets/${id}/rows?offset=0&limit=10`);
		expect(rows.body.total).toBe(2);
		const media = rows.body.rows[1].row.images?.[0] ?? '';
		expect(media).toMatch(/^media\/[0-9a-f]{64}\.png$/);
		const image = await admin.request('GET', `/api/datasets/${id}/media/${media.split('/')[1]}`);
		expect(image.status).toBe(200);
		expect(image.headers.get('content-type')).toBe('image/png');
		expect((await admin.request('GET', `/api/datasets/${id}/media/..%2F..%2Fswiftboard.db`)).status).toBe(404);

		const searched = await admin.json<{ rows: { index: number }[] }>('GET', `/api/datasets/${id}/rows?q=DOT`);
		expect(searched.body.rows.map((r) => r.index)).toEqual([1]);
		const csv = await admin.request('GET', `/api/datasets/${id}/errors?format=csv`);
		expect(await csv.text()).toContain('chat.jsonl,2,messages,no_assistant');
		const filtered = await admin.json<{ total: number }>('GET', `/api/datasets/${id}/errors?kind=bad_json`);
		expect(filtered.body.total).toBe(0);

		expect((await admin.json('PATCH', `/api/datasets/${id}`, { name: 'renamed' })).status).toBe(200);
		expect((await admin.json<{ dataset: { name: string } }>('GET', `/api/datasets/${id}`)).body.dataset.name).toBe('renamed');
		expect((await admin.json('DELETE', `/api/datasets/${id}`)).status).toBe(200);
		expect(fs.existsSync(path.join(server.dataDir, 'datasets', id))).toBe(false);
		expect((await admin.request('GET', `/api/datasets/${id}`)).status).toBe(404);
	});

	it('checks the session and the role before reading an upload', async () => {
		expect((await upload(null, [{ name: 'x.jsonl', data: '{}' }])).status).toBe(401);
		const viewer = await addUser(admin, 'looker', 'viewer');
		expect((await upload(viewer, [{ name: 'x.jsonl', data: '{}' }])).status).toBe(403);
		expect((await viewer.request('GET', '/api/datasets')).status).toBe(200);
		expect((await admin.request('GET', '/api/datasets/x/rows?limit=abc')).status).toBe(400);
	});
});

interface Stats {
	split: { ratio: number; seed: number };
	validationRows: number;
}

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

describe('datasets API: archives, pages, media, split and access', () => {
	it('imports a zip holding a JSONL and its images, stored content-addressed once', async () => {
		const rows = [
			{ messages: [{ role: 'user', content: '<image>What is it?' }, { role: 'assistant', content: 'A dot.' }], images: ['images/dot.png'] },
			{ messages: [{ role: 'user', content: '<image>And this?' }, { role: 'assistant', content: 'The same dot.' }], images: ['images/dot.png'] }
		];
		const zip = buildZip([
			{ name: 'set/train.jsonl', data: Buffer.from(jsonl(rows)) },
			{ name: 'set/images/dot.png', data: PNG_BYTES }
		]);
		const { status, body } = await upload(admin, [{ name: 'set.zip', data: zip }], { name: 'dots' });
		expect(status).toBe(201);
		expect(body.dataset?.rowCount).toBe(2);
		const media = fs.readdirSync(path.join(server.dataDir, 'datasets', body.dataset!.id, 'media'));
		expect(media).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.png$/)]);
	});

	it('reports a bad JSON line with its file and line, pages rows and errors', async () => {
		const lines = Array.from({ length: 30 }, (_, i) => JSON.stringify(chat(`question ${i}`, `answer ${i}`)));
		lines.splice(7, 0, '{"messages": [');
		const refused = await upload(admin, [{ name: 'many.jsonl', data: lines.join('\n') + '\n' }]);
		expect(refused.status).toBe(422);
		expect(refused.body.errors).toEqual([expect.objectContaining({ file: 'many.jsonl', line: 8, kind: 'bad_json' })]);
		const { body } = await upload(admin, [{ name: 'many.jsonl', data: lines.join('\n') + '\n' }], { skipInvalid: 'true' });
		const id = body.dataset!.id;
		const page = await admin.json<{ rows: { index: number; row: { messages: { content: string }[] } }[]; total: number }>('GET', `/api/datasets/${id}/rows?offset=10&limit=5`);
		expect(page.body.total).toBe(30);
		expect(page.body.rows.map((r) => r.index)).toEqual([10, 11, 12, 13, 14]);
		expect(page.body.rows[0].row.messages[0].content).toBe('question 10');
		const errors = await admin.json<{ errors: { line: number }[]; total: number }>('GET', `/api/datasets/${id}/errors?offset=0&limit=1&kind=bad_json`);
		expect(errors.body).toEqual({ total: 1, errors: [expect.objectContaining({ line: 8 })] });
	});

	it('serves byte ranges of media and refuses names that are not a content address', async () => {
		const row = { messages: [{ role: 'user', content: '<image>?' }, { role: 'assistant', content: 'dot' }], images: ['dot.png'] };
		const { body } = await upload(admin, [{ name: 'img.jsonl', data: jsonl([row]) }, { name: 'dot.png', data: PNG_BYTES }]);
		const id = body.dataset!.id;
		const file = fs.readdirSync(path.join(server.dataDir, 'datasets', id, 'media'))[0];
		const part = await admin.request('GET', `/api/datasets/${id}/media/${file}`, undefined, { range: 'bytes=1-3' });
		expect(part.status).toBe(206);
		expect(part.headers.get('content-range')).toBe(`bytes 1-3/${PNG_BYTES.length}`);
		expect(await part.text()).toBe('PNG');
		for (const name of ['data.jsonl', `${file.slice(0, 10)}.png`, `${file}.txt`, `${file.toUpperCase()}`, `..%2F${id}%2Fdata.jsonl`]) {
			expect((await admin.request('GET', `/api/datasets/${id}/media/${name}`)).status, name).toBe(404);
		}
	});

	it('takes the split from the upload and changes it later, recounting the validation rows', async () => {
		const rows = Array.from({ length: 200 }, (_, i) => chat(`q${i}`, `a${i}`));
		const { body } = await upload(admin, [{ name: 'split.jsonl', data: jsonl(rows) }], { splitRatio: '0.25', splitSeed: '7' });
		const id = body.dataset!.id;
		const before = (await admin.json<{ dataset: { stats: Stats } }>('GET', `/api/datasets/${id}`)).body.dataset.stats;
		expect(before.split).toEqual({ ratio: 0.25, seed: 7 });
		expect(before.validationRows).toBeGreaterThan(25);
		expect(before.validationRows).toBeLessThan(75);
		const changed = await admin.json<{ dataset: { stats: Stats } }>('PATCH', `/api/datasets/${id}`, { split: { ratio: 0, seed: 1 } });
		expect(changed.status).toBe(200);
		expect(changed.body.dataset.stats).toMatchObject({ split: { ratio: 0, seed: 1 }, validationRows: 0 });
		expect((await admin.json('PATCH', `/api/datasets/${id}`, { split: { ratio: 2, seed: 1 } })).status).toBe(400);
		expect((await admin.json('PATCH', `/api/datasets/${id}`, {})).status).toBe(400);
		expect((await upload(admin, [{ name: 'x.jsonl', data: jsonl(rows) }], { splitRatio: 'lots' })).status).toBe(400);
	});

	it('counts the rows over any max_length exactly', async () => {
		// Tokens per row: 2 per sequence, 2 per message, one per byte of text.
		const rows = [chat('a', 'b'), chat('a'.repeat(10), 'b'), chat('a'.repeat(100), 'b')];
		const { body } = await upload(admin, [{ name: 'len.jsonl', data: jsonl(rows) }]);
		const id = body.dataset!.id;
		const over = async (maxLength: number) => (await admin.json<{ over: number; rows: number }>('GET', `/api/datasets/${id}/length?maxLength=${maxLength}`)).body;
		expect(await over(8)).toMatchObject({ rows: 3, over: 2 });
		expect(await over(17)).toMatchObject({ over: 1 });
		expect(await over(107)).toMatchObject({ over: 0 });
		expect((await admin.json('GET', `/api/datasets/${id}/length?maxLength=0`)).status).toBe(400);
	});

	it('lets only writers change, only admins delete a shipped set, and nobody in without a session', async () => {
		const viewer = await addUser(admin, 'vera', 'viewer');
		const member = await addUser(admin, 'max', 'member');
		expect((await viewer.json('PATCH', '/api/datasets/shipped', { name: 'mine' })).status).toBe(403);
		expect((await viewer.json('DELETE', '/api/datasets/shipped')).status).toBe(403);
		expect((await member.json('DELETE', '/api/datasets/shipped')).status).toBe(403);
		expect((await admin.json('DELETE', '/api/datasets/shipped')).status).toBe(200);
		for (const [method, url] of [
			['GET', '/api/datasets'],
			['GET', '/api/datasets/x'],
			['GET', '/api/datasets/x/rows'],
			['GET', '/api/datasets/x/errors'],
			['GET', '/api/datasets/x/media/y.png'],
			['PATCH', '/api/datasets/x'],
			['DELETE', '/api/datasets/x']
		]) {
			expect((await fetch(server.url + url, { method })).status, `${method} ${url}`).toBe(401);
		}
	});
});

describe('import progress', () => {
	it('reports the import on import:<uploadId> to a follower', async () => {
		const uploadId = 'a1b2c3d4e5f6a7b8c9d0';
		const socket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: admin.cookie }, reconnection: false, forceNew: true });
		const events: StreamEvent[] = [];
		socket.on('stream:event', (event) => events.push(event));
		socket.on('stream:replay', (batch) => events.push(...batch.events));
		const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('stream:subscribe', { stream: `import:${uploadId}` }, resolve));
		expect(ack).toMatchObject({ ok: true });
		const rows = Array.from({ length: 50 }, (_, i) => chat(`q${i}`, `a${i}`));
		expect((await upload(admin, [{ name: 'p.jsonl', data: jsonl(rows) }], { uploadId })).status).toBe(201);
		await expect.poll(() => events.map((e) => (e.data as { phase: string }).phase)).toContain('finishing');
		expect(events.every((e) => e.stream === `import:${uploadId}` && e.type === 'progress')).toBe(true);
		socket.close();
	});
});

describe('deleting a dataset in use', () => {
	it('is refused while a queued or running run trains on it', async () => {
		const rows = Array.from({ length: 40 }, (_, i) => chat(`What is ${i % 10} plus 1?`, String((i % 10) + 1)));
		const { body } = await upload(admin, [{ name: 'arith.jsonl', data: jsonl(rows) }]);
		const id = body.dataset!.id;
		const config = { name: 'uses-it', model: 'nano', dataset: id, max_steps: 100_000, save_steps: 100_000, per_device_train_batch_size: 2, max_length: 32 };
		const created = await admin.json<{ run: { id: string } }>('POST', '/api/runs', config);
		expect(created.status).toBe(201);
		const runId = created.body.run.id;
		const refused = await admin.json<{ error: { code: string } }>('DELETE', `/api/datasets/${id}`);
		expect(refused.status).toBe(409);
		expect(fs.existsSync(path.join(server.dataDir, 'datasets', id))).toBe(true);

		await admin.json('POST', `/api/runs/${runId}/stop`);
		await expect
			.poll(async () => (await admin.json<{ run: { status: string } }>('GET', `/api/runs/${runId}`)).body.run.status, { timeout: 60_000, interval: 200 })
			.toMatch(/^(stopped|cancelled|failed|succeeded)$/);
		expect((await admin.json('DELETE', `/api/datasets/${id}`)).status).toBe(200);
	});
});
