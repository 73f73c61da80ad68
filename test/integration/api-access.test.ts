import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicApiRoutes } from '../../src/lib/server/hooks/accessHandle';
import { addUser, ApiClient, setupAdmin } from '../helpers/api';
import { listApiEndpoints } from '../helpers/apiRoutes';
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

describe('every API route needs a session', () => {
	const endpoints = listApiEndpoints().filter((e) => !publicApiRoutes.has(e.path));

	it('finds the routes', () => {
		expect(endpoints.length).toBeGreaterThan(8);
	});

	it.each(endpoints.map((e) => [`${e.method} ${e.path}`, e] as const))('%s answers 401 without a session', async (_name, endpoint) => {
		const anonymous = new ApiClient(server.url);
		const body = ['POST', 'PUT', 'PATCH'].includes(endpoint.method) ? {} : undefined;
		const response = await anonymous.request(endpoint.method, endpoint.path, body);
		expect(response.status).toBe(401);
		const payload = (await response.json()) as { error: { code: string; message: string; type?: string } };
		// The OpenAI-compatible routes answer in OpenAI's error shape, which its clients parse.
		if (endpoint.path.startsWith('/api/v1/')) expect(payload.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });
		else expect(payload.error.code).toBe('unauthenticated');
	});

	it('a forged session cookie is refused too', async () => {
		const forged = new ApiClient(server.url);
		forged.cookie = 'swiftboard_session=not-a-real-session';
		expect((await forged.request('GET', '/api/me')).status).toBe(401);
	});
});

describe('roles', () => {
	it('a viewer may read but not write or administer', async () => {
		const viewer = await addUser(admin, 'demo-viewer', 'viewer');
		expect((await viewer.request('GET', '/api/me')).status).toBe(200);
		expect((await viewer.request('GET', '/api/jobs')).status).toBe(200);
		const submit = await viewer.json<{ error: { code: string } }>('POST', '/api/jobs', { kind: 'noop' });
		expect(submit.status).toBe(403);
		expect(submit.body.error.code).toBe('forbidden');
		expect((await viewer.request('GET', '/api/admin/users')).status).toBe(403);
	});

	it('a member may submit jobs but not manage users', async () => {
		const member = await addUser(admin, 'trainer', 'member');
		expect((await member.request('POST', '/api/jobs', { kind: 'noop' })).status).toBe(201);
		expect((await member.request('POST', '/api/admin/users', { username: 'x1', password: 'password123', role: 'admin' })).status).toBe(403);
	});

	it('a role change ends the user’s other sessions at once', async () => {
		const member = await addUser(admin, 'promoted', 'member');
		const { body } = await admin.json<{ users: { id: string; username: string }[] }>('GET', '/api/admin/users');
		const id = body.users.find((u) => u.username === 'promoted')?.id;
		expect((await admin.request('PATCH', `/api/admin/users/${id}`, { role: 'viewer' })).status).toBe(200);
		expect((await member.request('GET', '/api/me')).status).toBe(401);
	});
});

describe('setup and sign-in', () => {
	it('setup answers 409 once an account exists', async () => {
		const again = await new ApiClient(server.url).json<{ error: { code: string } }>('POST', '/api/auth/setup', {
			username: 'intruder',
			password: 'password1234'
		});
		expect(again.status).toBe(409);
		expect(again.body.error.code).toBe('conflict');
	});

	it('bad input names the field', async () => {
		const bad = await admin.json<{ error: { code: string; fields: Record<string, string> } }>('POST', '/api/admin/users', {
			username: 'ok-name',
			password: 'short',
			role: 'member'
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.password).toMatch(/at least 8/);
	});

	it('logout ends the session', async () => {
		const member = await addUser(admin, 'leaver', 'member');
		expect((await member.request('POST', '/api/auth/logout')).status).toBe(200);
		expect((await member.request('GET', '/api/me')).status).toBe(401);
	});

	it('the session cookie is HttpOnly and SameSite=Lax, and not Secure over plain http', async () => {
		const response = await new ApiClient(server.url).request('POST', '/api/auth/login', {
			username: 'demo-viewer',
			password: 'demo-viewer-password-1'
		});
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('swiftboard_session='));
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
	});

	it('repeated wrong passwords are rate limited', async () => {
		const client = new ApiClient(server.url);
		const statuses: number[] = [];
		for (let i = 0; i < 8 && statuses.at(-1) !== 429; i++) {
			statuses.push((await client.request('POST', '/api/auth/login', { username: 'admin', password: `wrong-${i}` })).status);
		}
		// Five free tries for this username from this address, then a growing wait.
		expect(statuses.slice(0, 6).every((s) => s === 401)).toBe(true);
		expect(statuses.at(-1)).toBe(429);
		// Even the right password waits out the backoff (from this address; see login-limits.test.ts).
		expect((await client.request('POST', '/api/auth/login', { username: 'admin', password: 'correct-horse-battery' })).status).toBe(429);
	});

	it('health needs no session and lists the CPU slot', async () => {
		const { status, body } = await new ApiClient(server.url).json<{ status: string; devices: { id: string }[] }>('GET', '/api/health');
		expect(status).toBe(200);
		expect(body.status).toBe('ok');
		expect(body.devices.map((d) => d.id)).toContain('cpu');
	});
});

describe('user administration', () => {
	it('refuses to delete yourself, and a user who owns jobs, with a reason', async () => {
		const { body } = await admin.json<{ users: { id: string; username: string }[] }>('GET', '/api/admin/users');
		const self = body.users.find((u) => u.username === 'admin')?.id;
		const owner = body.users.find((u) => u.username === 'trainer')?.id;
		const selfDelete = await admin.json<{ error: { code: string } }>('DELETE', `/api/admin/users/${self}`);
		expect(selfDelete.status).toBe(409);
		const ownerDelete = await admin.json<{ error: { message: string } }>('DELETE', `/api/admin/users/${owner}`);
		expect(ownerDelete.status).toBe(409);
		expect(ownerDelete.body.error.message).toMatch(/owns/);
		expect((await admin.request('DELETE', '/api/admin/users/no-such-user')).status).toBe(404);
	});
});
