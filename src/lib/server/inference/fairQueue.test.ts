import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/httpError';
import { FairQueue } from './fairQueue';

describe('FairQueue', () => {
	it('serves waiting users round-robin, not first come first served', async () => {
		const queue = new FairQueue(1, 10);
		const releaseFirst = await queue.acquire('a');
		const order: string[] = [];
		const waits = [
			['a', 'a1'],
			['a', 'a2'],
			['a', 'a3'],
			['b', 'b1'],
			['c', 'c1'],
			['b', 'b2']
		].map(([user, name]) => queue.acquire(user).then((release) => {
			order.push(name);
			release();
		}));
		expect(queue.queued).toBe(6);
		releaseFirst();
		await Promise.all(waits);
		expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
		expect(queue.active).toBe(0);
	});

	it('refuses past the bound with 429 and lets an aborted waiter leave', async () => {
		const queue = new FairQueue(1, 2);
		const release = await queue.acquire('a');
		const controller = new AbortController();
		const aborted = queue.acquire('b', controller.signal);
		const kept = queue.acquire('c');
		const refused = await queue.acquire('d').catch((e: unknown) => e);
		expect(HttpError.is(refused) && refused.status).toBe(429);
		controller.abort(new Error('gone'));
		await expect(aborted).rejects.toThrow('gone');
		expect(queue.queued).toBe(1);
		release();
		(await kept)();
		expect(queue.active).toBe(0);
	});
});
