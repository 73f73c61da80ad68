import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
const limitBytes = 64 * 1024;

beforeAll(async () => {
	server = await startServer({ env: { SWIFTBOARD_MAX_UPLOAD_MB: String(limitBytes / 1024 / 1024) } });
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
});

const tmpDir = () => path.join(server.dataDir, 'uploads', 'tmp');
const partFiles = () => fs.readdirSync(tmpDir()).filter((name) => name.endsWith('.part'));

function upload(cookie: string | null, bytes: number): Promise<Response> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes).fill(7)]), 'data.bin');
	return fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: cookie ? { cookie } : {} });
}

describe('POST /api/uploads', () => {
	it('stores a file and reports its size and hash', async () => {
		const response = await upload(admin.cookie, 1000);
		expect(response.status).toBe(201);
		const body = (await response.json()) as { files: { id: string; size: number; sha256: string; name: string }[] };
		expect(body.files).toHaveLength(1);
		expect(body.files[0]).toMatchObject({ size: 1000, name: 'data.bin' });
		expect(body.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(fs.statSync(path.join(tmpDir(), body.files[0].id)).size).toBe(1000);
	});

	it('answers 401 without a session, before storing anything', async () => {
		const before = fs.readdirSync(tmpDir()).length;
		const response = await upload(null, 1000);
		expect(response.status).toBe(401);
		expect(fs.readdirSync(tmpDir()).length).toBe(before);
	});

	it('answers 413 for an oversized file and leaves no partial file', async () => {
		const before = fs.readdirSync(tmpDir()).length;
		const response = await upload(admin.cookie, limitBytes * 3);
		expect(response.status).toBe(413);
		const body = (await response.json()) as { error: { code: string; message: string } };
		expect(body.error.code).toBe('payload_too_large');
		expect(body.error.message).toMatch(/64 KB/);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(fs.readdirSync(tmpDir()).length).toBe(before);
	});

	it('removes the partial file when the client aborts mid-upload', async () => {
		const boundary = 'swiftboardtestboundary';
		const request = http.request(`${server.url}/api/uploads`, {
			method: 'POST',
			headers: { cookie: admin.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }
		});
		request.on('error', () => undefined);
		request.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n`);
		request.write(Buffer.alloc(16 * 1024, 1));
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(partFiles().length).toBe(1);
		request.destroy();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(partFiles()).toEqual([]);
		// The server is still fine.
		expect((await upload(admin.cookie, 10)).status).toBe(201);
	});
});
