import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { socketPath, type ClientToServerEvents, type ServerToClientEvents, type StreamEvent } from '$lib/shared/realtime';
import { RealtimeClient } from './realtime';

/**
 * A socket.io server that speaks the stream protocol the way the hub does: a subscribe with `afterSeq`
 * replays what came after it, then joins the room; a subscribe without starts from now.
 */
async function streamServer() {
	const http = createServer();
	const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { path: socketPath });
	const history: StreamEvent[] = [];
	const subscribes: (number | undefined)[] = [];
	io.on('connection', (socket) => {
		socket.on('stream:subscribe', ({ stream, afterSeq }, ack) => {
			subscribes.push(afterSeq);
			if (afterSeq !== undefined) socket.emit('stream:replay', { stream, events: history.filter((e) => e.stream === stream && e.seq > afterSeq) });
			void socket.join(stream);
			ack({ ok: true, stream, lastSeq: history.at(-1)?.seq ?? 0, replayed: 0 });
		});
		socket.on('stream:unsubscribe', ({ stream }) => void socket.leave(stream));
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	const publish = (stream: string) => {
		const event: StreamEvent = { stream, seq: history.length + 1, type: 'log', at: Date.now(), data: { line: `event ${history.length + 1}` } };
		history.push(event);
		io.to(stream).emit('stream:event', event);
	};
	return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, publish, subscribes, close: () => io.close() };
}

const until = async (done: () => boolean) => {
	for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(done()).toBe(true);
};

let cleanup: (() => void)[] = [];
afterEach(() => {
	for (const close of cleanup) close();
	cleanup = [];
});

describe('RealtimeClient.follow', () => {
	it('gives a second follower further back its own replay, and the first no duplicates', async () => {
		const server = await streamServer();
		const client = new RealtimeClient(server.url);
		cleanup.push(() => client.close(), server.close);
		for (let i = 0; i < 5; i++) server.publish('run:a');

		// The first follower has the history up to 3 and follows from there.
		const first: number[] = [];
		client.follow('run:a', (e) => first.push(e.seq), 3);
		await until(() => first.length === 2);
		server.publish('run:a');
		await until(() => first.length === 3);

		// A second follower that loaded history up to 1 only joins the same stream on the same socket.
		const second: number[] = [];
		client.follow('run:a', (e) => second.push(e.seq), 1);
		await until(() => second.length === 5);
		server.publish('run:a');
		await until(() => second.length === 6 && first.length === 4);

		expect(first).toEqual([4, 5, 6, 7]);
		expect(second).toEqual([2, 3, 4, 5, 6, 7]);
		expect(server.subscribes).toEqual([3, 1]);

		// A follower from now gets only what comes next, and no subscribe is needed for it.
		const third: number[] = [];
		client.follow('run:a', (e) => third.push(e.seq));
		server.publish('run:a');
		await until(() => third.length === 1 && first.length === 5 && second.length === 7);
		expect(third).toEqual([8]);
		expect(server.subscribes).toEqual([3, 1]);
	});
});
