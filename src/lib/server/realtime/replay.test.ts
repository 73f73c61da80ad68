import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../shared/realtime';
import { MemoryStream } from './memoryStream';
import { replayInPages, type ReplayTarget, type ReplayTicket } from './replay';

/** A client end: records pages and live events, and drains when the test says so. */
function recordingTarget(stream: MemoryStream) {
	const received: number[] = [];
	let live = false;
	let pagesInFlight = 0;
	let maxInFlight = 0;
	let release: (() => void) | null = null;
	const target: ReplayTarget = {
		send: (events) => {
			received.push(...events.map((e) => e.seq));
			maxInFlight = Math.max(maxInFlight, ++pagesInFlight);
		},
		goLive: () => (live = true),
		drained: () =>
			new Promise<boolean>((resolve) => {
				release = () => {
					pagesInFlight--;
					resolve(true);
				};
			})
	};
	return {
		target,
		received,
		isLive: () => live,
		maxInFlight: () => maxInFlight,
		/** Lets the pump go on, and publishes what it would see live once it joined. */
		async drain(beforeRelease = () => {}) {
			while (!release) await new Promise((resolve) => setImmediate(resolve));
			const next: () => void = release;
			release = null;
			beforeRelease();
			next();
		},
		publish(event: StreamEvent) {
			if (live) received.push(event.seq);
		},
		stream
	};
}

describe('replayInPages', () => {
	it('sends one page at a time, waiting for each to drain, then goes live with no gap or duplicate', async () => {
		const stream = new MemoryStream('server:test', 10_000);
		for (let i = 0; i < 25; i++) stream.next('tick', i);
		const client = recordingTarget(stream);
		const ticket: ReplayTicket = { cancelled: false };
		const done = replayInPages(stream, 3, 10, client.target, ticket);
		await client.drain();
		// Events that arrive mid-replay are picked up by a later page, not lost.
		for (let i = 0; i < 7; i++) client.publish(stream.next('tick', i));
		await client.drain();
		expect(await done).toEqual({ done: true, replayed: 29 });
		expect(client.isLive()).toBe(true);
		client.publish(stream.next('tick', 'live'));
		expect(client.received).toEqual(Array.from({ length: 30 }, (_, i) => i + 4));
		expect(client.maxInFlight()).toBe(1);
	});

	it('stops when cancelled, without going live', async () => {
		const stream = new MemoryStream('server:test', 10_000);
		for (let i = 0; i < 50; i++) stream.next('tick', i);
		const client = recordingTarget(stream);
		const ticket: ReplayTicket = { cancelled: false };
		const done = replayInPages(stream, 0, 10, client.target, ticket);
		await client.drain(() => (ticket.cancelled = true));
		expect(await done).toEqual({ done: false, replayed: 10 });
		expect(client.isLive()).toBe(false);
	});

	it('reads nothing when cancelled before its first turn (a burst of subscribes)', async () => {
		const stream = new MemoryStream('server:test');
		stream.next('tick', 1);
		const client = recordingTarget(stream);
		const ticket: ReplayTicket = { cancelled: false };
		const done = replayInPages(stream, 0, 10, client.target, ticket);
		ticket.cancelled = true;
		expect(await done).toEqual({ done: false, replayed: 0 });
		expect(client.received).toEqual([]);
	});
});
