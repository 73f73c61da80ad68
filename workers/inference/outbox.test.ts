import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InferenceWorkerEvent, InferenceWorkerMessage } from '../../src/lib/shared/inferenceProtocol';
import { DELTA_INTERVAL_MS, Outbox } from './outbox';

const delta = (text: string): InferenceWorkerEvent => ({ type: 'delta', id: 'a', text, token: true });
const first: InferenceWorkerEvent = { type: 'delta', id: 'a', text: 'H', token: true, promptTokens: 9 };
const done: InferenceWorkerEvent = { type: 'done', id: 'a', result: { text: 'Hi', finishReason: 'stop', usage: { prompt_tokens: 9, completion_tokens: 2 }, timings: { ttftMs: 0, totalMs: 0, tokensPerS: 0 } } };
const texts = (message: InferenceWorkerMessage) => message.map((e) => (e.type === 'delta' ? e.text : e.type));

describe('Outbox', () => {
	let sent: InferenceWorkerMessage[];
	let outbox: Outbox;

	beforeEach(() => {
		vi.useFakeTimers();
		sent = [];
		outbox = new Outbox((message) => sent.push(message));
	});
	afterEach(() => vi.useRealTimers());

	it('sends the events of one turn as one message, a first token at once', async () => {
		outbox.post(first);
		outbox.post({ type: 'delta', id: 'b', text: 'x', token: true, promptTokens: 3 });
		expect(sent).toEqual([]);
		await Promise.resolve();
		expect(sent.map(texts)).toEqual([['H', 'x']]);
	});

	it('holds plain deltas that follow a message closely, then sends them together', async () => {
		outbox.post(first);
		await Promise.resolve();
		vi.advanceTimersByTime(DELTA_INTERVAL_MS / 4);
		outbox.post(delta('e'));
		await Promise.resolve();
		outbox.post(delta('l'));
		await Promise.resolve();
		expect(sent.length).toBe(1);
		vi.advanceTimersByTime(DELTA_INTERVAL_MS);
		expect(sent.map(texts)).toEqual([['H'], ['e', 'l']]);
	});

	it('sends a delta at once after a quiet spell, and an end with whatever waits', async () => {
		outbox.post(first);
		await Promise.resolve();
		vi.advanceTimersByTime(DELTA_INTERVAL_MS + 1);
		outbox.post(delta('e'));
		await Promise.resolve();
		expect(sent.map(texts)).toEqual([['H'], ['e']]);
		outbox.post(delta('y'));
		outbox.post(done);
		await Promise.resolve();
		expect(sent.map(texts)).toEqual([['H'], ['e'], ['y', 'done']]);
		vi.advanceTimersByTime(DELTA_INTERVAL_MS * 2);
		expect(sent.length).toBe(3);
	});
});
