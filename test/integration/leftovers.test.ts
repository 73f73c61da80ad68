import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { adminCredentials, ApiClient, setupAdmin } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.stop();
	server = null;
});

async function uploadFile(baseUrl: string, client: ApiClient, bytes: number): Promise<Response> {
	const form = new FormData();
	form.append('file', new Blob([new Uint8Array(bytes).fill(1)]), 'blob.bin');
	return fetch(`${baseUrl}/api/uploads`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (check()) return true;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return check();
}

describe('leftovers', () => {
	it('removes at start what an import killed midway left, and keeps committed datasets', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'kept', arithmeticRows(3));
		// What kill -9 during an import leaves: a dataset folder with half its rows and its staging, and no row.
		const partial = path.join(dataDir, 'datasets', 'halfdone');
		fs.mkdirSync(path.join(partial, '.staging', 'x'), { recursive: true });
		fs.writeFileSync(path.join(partial, 'data.jsonl'), '{"messages":[]}\n');
		server = await startServer({ dataDir });
		expect(fs.readdirSync(path.join(dataDir, 'datasets'))).toEqual(['kept']);
		expect(server.output()).toMatch(/removed 1 import\(s\) cut short: halfdone/);
	});

	it('sweeps unclaimed uploads once they are older than the configured age', async () => {
		server = await startServer({ env: { SWIFTBOARD_UPLOAD_TTL_HOURS: String(2 / 3600) } });
		const admin = await setupAdmin(server.url);
		const response = await uploadFile(server.url, admin, 1000);
		expect(response.status).toBe(201);
		const { files } = (await response.json()) as { files: { id: string }[] };
		const kept = path.join(server.dataDir, 'uploads', 'tmp', files[0].id);
		expect(fs.existsSync(kept)).toBe(true);
		expect(await waitUntil(() => !fs.existsSync(kept) && !fs.existsSync(`${kept}.json`), 8000)).toBe(true);
	});

	it('holds each user to a disk quota for uploads, naming the numbers', async () => {
		const dataDir = tempDataDir();
		// 100 KiB.
		server = await startServer({ dataDir, env: { SWIFTBOARD_USER_QUOTA_GB: String(100 / 1024 / 1024) } });
		const admin = await setupAdmin(server.url);
		expect((await uploadFile(server.url, admin, 60 * 1024)).status).toBe(201);
		const refused = await uploadFile(server.url, admin, 60 * 1024);
		expect(refused.status).toBe(413);
		const body = (await refused.json()) as { error: { code: string; message: string } };
		expect(body.error.message).toMatch(/disk quota: you use 60 KB of 100 KB/);
		expect(fs.readdirSync(path.join(dataDir, 'uploads', 'tmp'))).toHaveLength(2);

		// Dataset imports count against the same quota.
		const form = new FormData();
		form.append('files', new Blob(['x'.repeat(60 * 1024)]), 'big.jsonl');
		const dataset = await fetch(`${server.url}/api/datasets`, { method: 'POST', body: form, headers: { cookie: admin.cookie } });
		expect(dataset.status).toBe(413);

		// After a restart the quota still counts what was kept.
		await server.stop();
		server = await startServer({ dataDir, env: { SWIFTBOARD_USER_QUOTA_GB: String(100 / 1024 / 1024) } });
		const again = new ApiClient(server.url);
		expect((await again.request('POST', '/api/auth/login', adminCredentials)).status).toBe(200);
		expect((await uploadFile(server.url, again, 60 * 1024)).status).toBe(413);
	});
});
