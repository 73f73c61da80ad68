import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, SubscribeAck } from '../../src/lib/shared/realtime';
import { ApiClient, setupAdmin } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
	server = await startServer({ env: { SWIFTBOARD_HEARTBEAT_MS: '50' } });
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
});

async function newUser(username: string): Promise<{ id: string; password: string }> {
	const password = `${username}-password-1`;
	const created = await admin.json<{ user: { id: string } }>('POST', '/api/admin/users', { username, password, role: 'member' });
	expect(created.status).toBe(201);
	return { id: created.body.user.id, password };
}

async function signIn(username: string, password: string): Promise<ApiClient> {
	const client = new ApiClient(server.url);
	expect((await client.json('POST', '/api/auth/login', { username, password })).status).toBe(200);
	return client;
}

/** A socket on the heartbeat stream, recording when it was disconnected. */
async function follow(client: ApiClient): Promise<{ socket: ClientSocket; closedAt: () => number | null }> {
	const socket: ClientSocket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.cookie }, reconnection: false, forceNew: true });
	let closedAt: number | null = null;
	socket.on('disconnect', () => (closedAt = Date.now()));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const ack = await new Promise<SubscribeAck>((resolve) => socket.emit('stream:subscribe', { stream: 'server:heartbeat' }, resolve));
	expect(ack.ok).toBe(true);
	await new Promise<void>((resolve) => socket.once('stream:event', () => resolve()));
	return { socket, closedAt: () => closedAt };
}

/** Waits up to `ms` for the socket to be closed by the server; the time it took, or null. */
async function closedWithin(watch: { closedAt: () => number | null }, since: number, ms: number): Promise<number | null> {
	const deadline = since + ms;
	while (Date.now() < deadline && watch.closedAt() === null) await new Promise((resolve) => setTimeout(resolve, 10));
	const at = watch.closedAt();
	return at === null ? null : at - since;
}

describe('ending a session closes its sockets', () => {
	it('on sign-out, and only that session’s sockets', async () => {
		const user = await newUser('leaver');
		const laptop = await signIn('leaver', user.password);
		const phone = await signIn('leaver', user.password);
		const onLaptop = await follow(laptop);
		const onPhone = await follow(phone);
		const since = Date.now();
		expect((await laptop.request('POST', '/api/auth/logout')).status).toBe(200);
		expect(await closedWithin(onLaptop, since, 1000)).not.toBeNull();
		expect(onPhone.closedAt()).toBeNull();
		expect(onPhone.socket.connected).toBe(true);
		onPhone.socket.close();
	});

	for (const [what, revoke] of [
		['a password change', (id: string) => admin.request('PATCH', `/api/admin/users/${id}`, { password: 'a-brand-new-password' })],
		['a role change', (id: string) => admin.request('PATCH', `/api/admin/users/${id}`, { role: 'viewer' })],
		['deleting the user', (id: string) => admin.request('DELETE', `/api/admin/users/${id}`)]
	] as const) {
		it(`on ${what}, within a second`, async () => {
			const name = `user-${what.replace(/\W+/g, '-')}`.slice(0, 40);
			const user = await newUser(name);
			const watch = await follow(await signIn(name, user.password));
			const since = Date.now();
			expect((await revoke(user.id)).status).toBe(200);
			const took = await closedWithin(watch, since, 1000);
			expect(took, `socket still open 1 s after ${what}`).not.toBeNull();
			watch.socket.close();
		});
	}
});
