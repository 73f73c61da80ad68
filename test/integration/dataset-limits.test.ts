import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip, PNG_BYTES } from '../../src/lib/server/datasets/testFixtures';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { measureRssGrowth, uploadDataset, writeLongLine } from '../helpers/datasetUpload';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-limits-'));

beforeAll(async () => {
	// A small body limit, so the 413 test needs no large request.
	server = await startServer({ env: { SWIFTBOARD_MAX_BODY_MB: '0.5' } });
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
	fs.rmSync(scratch, { recursive: true, force: true });
});

const chat = (question: string) => ({ messages: [{ role: 'user', content: question }, { role: 'assistant', content: 'ok' }] });
const upload = (files: Parameters<typeof uploadDataset>[2], fields?: Record<string, string>) => uploadDataset(server.url, admin, files, fields);

describe('import limits', () => {
	it('refuses a 200 MB line by its line number without holding it', async () => {
		const file = path.join(scratch, 'long.jsonl');
		fs.writeFileSync(file, JSON.stringify(chat('first')) + '\n');
		await writeLongLine(path.join(scratch, 'line.part'), 200 * 1024 * 1024);
		fs.appendFileSync(file, fs.readFileSync(path.join(scratch, 'line.part')));
		fs.rmSync(path.join(scratch, 'line.part'));
		// Once-per-process costs (the hashing thread, lazily loaded modules) are paid by a small import first.
		expect((await upload([{ name: 'warm.jsonl', data: JSON.stringify(chat('warm')) + '\n' }])).status).toBe(201);
		const { result, growthBytes } = await measureRssGrowth(server.process.pid!, () => upload([{ name: 'long.jsonl', path: file }]));
		expect(result.status).toBe(422);
		expect(result.body.errors).toEqual([expect.objectContaining({ file: 'long.jsonl', line: 2, kind: 'line_too_long' })]);
		expect(result.body.errors[0].message).toMatch(/limit of 16777216 bytes/);
		console.log(`long-line import RSS growth: ${(growthBytes / 1024 / 1024).toFixed(1)} MB`);
		expect(growthBytes / 1024 / 1024).toBeLessThan(150);
	}, 120_000);

	it('refuses a zip bomb at the entry that passes the expansion ratio', async () => {
		const zip = buildZip([
			{ name: 'set/train.jsonl', data: Buffer.from(JSON.stringify(chat('q')) + '\n') },
			{ name: 'set/dot.png', data: PNG_BYTES },
			{ name: 'set/zeros.bin', data: Buffer.alloc(256 * 1024 * 1024), deflate: true }
		]);
		expect(zip.length).toBeLessThan(1024 * 1024);
		const { status, body } = await upload([{ name: 'bomb.zip', data: zip }]);
		expect(status).toBe(422);
		const rejected = body.errors.find((e) => e.kind === 'archive_rejected');
		expect(rejected?.file).toBe('bomb.zip');
		expect(rejected?.message).toMatch(/"set\/zeros\.bin".*over 100 times its own size/);
		// Nothing of it stays in staging or the datasets folder (only the warm-up set is there).
		expect(fs.readdirSync(path.join(server.dataDir, 'datasets'))).toHaveLength(1);
	}, 60_000);

	it('reports bad UTF-8 with its line and byte offset instead of replacing it', async () => {
		const good = Buffer.from(JSON.stringify(chat('fine')) + '\n');
		const bad = Buffer.concat([Buffer.from('{"messages":[{"role":"user","content":"ab'), Buffer.from([0xc3, 0x28]), Buffer.from('"},{"role":"assistant","content":"x"}]}\n')]);
		const { status, body } = await upload([{ name: 'latin.jsonl', data: Buffer.concat([good, bad, good]) }]);
		expect(status).toBe(422);
		expect(body.errors).toEqual([expect.objectContaining({ file: 'latin.jsonl', line: 2, kind: 'bad_utf8' })]);
		expect(body.errors[0].message).toMatch(/offset 41 /);
	});

	it('answers 413 naming the limit for a valid JSON body over the size limit', async () => {
		const response = await admin.request('POST', '/api/runs', { name: 'big', model: 'nano', dataset: 'x', note: 'n'.repeat(600 * 1024) });
		expect(response.status).toBe(413);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('payload_too_large');
		expect(body.error.message).toMatch(/524288/);
	});

	it('answers 416 with the size for a range outside a media file, and never serves a link', async () => {
		const row = { messages: [{ role: 'user', content: '<image>?' }, { role: 'assistant', content: 'dot' }], images: ['dot.png'] };
		const { body } = await upload([{ name: 'img.jsonl', data: JSON.stringify(row) + '\n' }, { name: 'dot.png', data: PNG_BYTES }]);
		const id = body.dataset!.id;
		const media = path.join(server.dataDir, 'datasets', id, 'media');
		const file = fs.readdirSync(media)[0];
		const outside = await admin.request('GET', `/api/datasets/${id}/media/${file}`, undefined, { range: `bytes=${PNG_BYTES.length + 10}-` });
		expect(outside.status).toBe(416);
		expect(outside.headers.get('content-range')).toBe(`bytes */${PNG_BYTES.length}`);

		const secret = path.join(scratch, 'secret.png');
		fs.writeFileSync(secret, 'not for viewers');
		const link = `${'a'.repeat(64)}.png`;
		fs.symlinkSync(secret, path.join(media, link));
		expect((await admin.request('GET', `/api/datasets/${id}/media/${link}`)).status).toBe(404);
	});
});
