import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCredentials, ApiClient, setupAdmin } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
const evil = 'http://evil.example';

beforeAll(async () => {
	server = await startServer();
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
});

const errorCode = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code;

describe('state-changing requests from another site', () => {
	it('are refused with 403 whatever the content type, before they act', async () => {
		const created = await admin.request('POST', '/api/admin/users', { username: 'planted', password: 'planted-password', role: 'admin' }, { origin: evil });
		expect(created.status).toBe(403);
		expect(await errorCode(created)).toBe('forbidden');
		const users = await admin.json<{ users: { username: string }[] }>('GET', '/api/admin/users');
		expect(users.body.users.map((u) => u.username)).not.toContain('planted');

		for (const [method, path, body] of [
			['PATCH', '/api/datasets/any', { name: 'x' }],
			['DELETE', '/api/runs/any', undefined],
			['POST', '/api/jobs', { kind: 'noop' }],
			['POST', '/api/auth/logout', undefined]
		] as const) {
			expect((await admin.request(method, path, body, { origin: evil })).status, `${method} ${path}`).toBe(403);
		}
		// The session survived the forged sign-out.
		expect((await admin.json('GET', '/api/me')).status).toBe(200);
	});

	it('covers sign-in, setup and multipart uploads too', async () => {
		const anonymous = new ApiClient(server.url);
		expect((await anonymous.request('POST', '/api/auth/login', adminCredentials, { origin: evil })).status).toBe(403);
		expect((await anonymous.request('POST', '/api/auth/setup', adminCredentials, { origin: evil })).status).toBe(403);
		const form = new FormData();
		form.append('files', new Blob(['{}\n']), 'a.jsonl');
		const upload = await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: admin.cookie, origin: evil } });
		expect(upload.status).toBe(403);
	});

	it('falls back to Referer, then Sec-Fetch-Site, when Origin is absent', async () => {
		const body = { username: 'viareferer', password: 'password-123', role: 'viewer' };
		expect((await admin.request('POST', '/api/admin/users', body, { referer: `${evil}/page` })).status).toBe(403);
		expect((await admin.request('POST', '/api/admin/users', body, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
		expect((await admin.request('POST', '/api/admin/users', body, { referer: `${server.url}/admin` })).status).toBe(201);
	});

	it('lets same-origin requests, scripts without Origin, and bearer-authenticated requests through', async () => {
		const sameSite = await admin.request('POST', '/api/admin/users', { username: 'samesite', password: 'password-123', role: 'viewer' }, { origin: server.url });
		expect(sameSite.status).toBe(201);
		const script = await admin.request('POST', '/api/admin/users', { username: 'scripted', password: 'password-123', role: 'viewer' });
		expect(script.status).toBe(201);
		// Reads from anywhere are not state changes.
		expect((await admin.request('GET', '/api/me', undefined, { origin: evil })).status).toBe(200);
		// A bearer token is no ambient credential: no Origin check (and no session here, so 401).
		const bearer = await fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { origin: evil, authorization: 'Bearer sk-test', 'content-type': 'application/json' }, body: '{}' });
		expect(bearer.status).toBe(401);
	});
});

describe('behind a proxy (ORIGIN set)', () => {
	it('accepts the configured origin and refuses the internal one', async () => {
		const proxied = await startServer({ env: { ORIGIN: 'https://board.example.com' } });
		try {
			const client = new ApiClient(proxied.url);
			const setup = await client.request('POST', '/api/auth/setup', adminCredentials, { origin: 'https://board.example.com' });
			expect(setup.status).toBe(200);
			const internal = await client.request('POST', '/api/admin/users', { username: 'x1', password: 'password-123', role: 'viewer' }, { origin: proxied.url });
			expect(internal.status).toBe(403);
		} finally {
			await proxied.stop();
		}
	});
});
