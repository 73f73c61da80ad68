import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_BYTES } from '../../src/lib/server/datasets/testFixtures';
import { addUser, setupAdmin, type ApiClient } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
	server = await startServer();
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
