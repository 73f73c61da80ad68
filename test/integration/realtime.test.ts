import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import { setupAdmin, type ApiClient } from '../helpers/api';
import { startServer, type TestServer } from '../helpers/server';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
	server = await startServer({ env: { SWIFTBOARD_HEARTBEAT_MS: '40' } });
	admin = await setupAdmin(server.url);
});
afterAll(async () => {
	await server?.stop();
});

function connect(headers: Record<string, string>): ClientSocket {
	return io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
}

function connectError(socket: ClientSocket): Promise<string> {
	return new Promise((resolve, reject) => {
		socket.once('connect', () => reject(new Error('connected but should have been refused')));
		socket.once('connect_error', (error) => resolve(error.message));
	});
}

function subscribe(socket: ClientSocket, stream: string, afterSeq?: number): Promise<SubscribeAck> {
	return new Promise((resolve) => socket.emit('stream:subscribe', { stream, afterSeq }, resolve));
}

function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const tick = () => {
			if (predicate()) return resolve();
			if (Date.now() - started > timeoutMs) return reject(new Error('timed out'));
			setTimeout(tick, 10);
		};
		tick();
	});
}

describe('socket handshake', () => {
	it('refuses a socket without a session cookie', async () => {
		const socket = connect({});
		expect(await connectError(socket)).toBe('unauthenticated');
		socket.close();
	});

	it('refuses a socket with a forged cookie', async () => {
		const socket = connect({ cookie: 'swiftboard_session=forged' });
		expect(await connectError(socket)).toBe('unauthenticated');
		socket.close();
	});

	it('refuses a socket from another origin even with a valid cookie', async () => {
		const socket = connect({ cookie: admin.cookie, origin: 'http://evil.example' });
		expect(await connectError(socket)).not.toBe('');
		socket.close();
	});

	it('rejects unknown streams and malformed subscriptions', async () => {
		const socket = connect({ cookie: admin.cookie });
		await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
		expect(await subscribe(socket, 'nothing:here')).toMatchObject({ ok: false, error: { code: 'not_found' } });
		expect(await subscribe(socket, 'NOT A STREAM')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
		socket.close();
	});
});

describe('replay after reconnect', () => {
	it('delivers the missed heartbeats in order with no duplicates', async () => {
		const received: StreamEvent[] = [];
		const first = connect({ cookie: admin.cookie });
		first.on('stream:event', (event) => received.push(event));
		await new Promise<void>((resolve) => first.once('connect', () => resolve()));
		const ack = await subscribe(first, 'server:heartbeat');
		expect(ack.ok).toBe(true);
		await waitFor(() => received.length >= 3);
		first.close();
		const lastSeen = received[received.length - 1].seq;

		// Stay away long enough to miss several beats.
		await new Promise((resolve) => setTimeout(resolve, 300));

		const second = connect({ cookie: admin.cookie });
		second.on('stream:event', (event) => received.push(event));
		second.on('stream:replay', (batch) => received.push(...batch.events));
		await new Promise<void>((resolve) => second.once('connect', () => resolve()));
		const again = await subscribe(second, 'server:heartbeat', lastSeen);
		expect(again.ok && again.replayed).toBeGreaterThanOrEqual(3);
		await waitFor(() => received.length >= 10);
		second.close();

		const seqs = received.map((e) => e.seq);
		const firstSeq = seqs[0];
		expect(seqs).toEqual(seqs.map((_, i) => firstSeq + i));
		expect(received.every((e) => e.stream === 'server:heartbeat' && e.type === 'heartbeat')).toBe(true);
	});
});
