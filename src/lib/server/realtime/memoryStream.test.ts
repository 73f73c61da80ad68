import { describe, expect, it } from 'vitest';
import { MemoryStream } from './memoryStream';

describe('MemoryStream', () => {
	it('numbers events from 1 and replays those after a sequence number', () => {
		const stream = new MemoryStream('server:test');
		for (let i = 0; i < 5; i++) stream.next('tick', i);
		expect(stream.lastSeq()).toBe(5);
		expect(stream.replay(2).map((e) => e.seq)).toEqual([3, 4, 5]);
		expect(stream.replay(5)).toEqual([]);
		expect(stream.replay(0).map((e) => e.data)).toEqual([0, 1, 2, 3, 4]);
	});

	it('keeps only the newest events when full', () => {
		const stream = new MemoryStream('server:test', 3);
		for (let i = 0; i < 10; i++) stream.next('tick', i);
		expect(stream.replay(0).map((e) => e.seq)).toEqual([8, 9, 10]);
		expect(stream.replay(8).map((e) => e.seq)).toEqual([9, 10]);
	});

	it('replays in pages', () => {
		const stream = new MemoryStream('server:test');
		for (let i = 0; i < 5; i++) stream.next('tick', i);
		expect(stream.replay(0, 2).map((e) => e.seq)).toEqual([1, 2]);
		expect(stream.replay(2, 2).map((e) => e.seq)).toEqual([3, 4]);
		expect(stream.replay(4, 2).map((e) => e.seq)).toEqual([5]);
	});
});
