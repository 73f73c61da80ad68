import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAITestServer } from '../../../../../test/helpers/openaiTestServer';
import { freePort } from '../../../../../test/helpers/server';
import { HttpError } from '../../http/httpError';
import { streamChat } from './chatStream';
import { checkHealth, discoverModels } from './discovery';
import type { EndpointTarget } from './endpointHttp';

const timeouts = { responseTimeoutMs: 2000, idleTimeoutMs: 300 };
const body = { model: 'test-model', messages: [{ role: 'user' as const, content: 'hello there' }], max_tokens: 16, temperature: 0, top_p: 1 };

let server: OpenAITestServer;
let target: EndpointTarget;

beforeAll(async () => {
	server = await OpenAITestServer.start({ apiKey: 'sk-test', models: ['test-model', 'other'] });
	target = { name: 'test', baseUrl: `${server.url}/v1/`, apiKey: 'sk-test' };
});
afterAll(() => server.close());
beforeEach(() => server.behave({}));

async function failure(promise: Promise<unknown>): Promise<HttpError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!HttpError.is(error)) throw new Error(`expected an HttpError, got ${String(error)}`);
	return error;
}

describe('streamChat', () => {
	it('streams the deltas, sends the key, and takes the usage chunk', async () => {
		const deltas: string[] = [];
		const answer = await streamChat(target, body, timeouts, { onDelta: (t) => deltas.push(t) });
		expect(answer.text).toBe('You said: hello there');
		expect(deltas.join('')).toBe(answer.text);
		expect(deltas.length).toBe(4);
		expect(answer.usage).toEqual({ prompt_tokens: 7, completion_tokens: 4 });
		expect(answer.finishReason).toBe('stop');
		const sent = server.chatRequests().at(-1)!;
		expect(sent.authorization).toBe('Bearer sk-test');
		expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, model: 'test-model' });
	});

	it('reads ms-swift usage on every chunk', async () => {
		server.behave({ reply: 'one two three', usageEveryChunk: true, finishReason: 'length' });
		const answer = await streamChat(target, body, timeouts);
		expect(answer).toMatchObject({ text: 'one two three', usage: { prompt_tokens: 7, completion_tokens: 3 }, finishReason: 'length' });
	});

	it("shows the server's message for a 4xx or 5xx", async () => {
		server.behave({ status: 400, errorMessage: 'max_tokens is too large for this model' });
		const error = await failure(streamChat(target, body, timeouts));
		expect(error.code).toBe('bad_gateway');
		expect(error.message).toContain('answered 400');
		expect(error.message).toContain('max_tokens is too large for this model');
		server.behave({ status: 503, errorMessage: 'KV cache exhausted' });
		expect((await failure(streamChat(target, body, timeouts))).message).toContain('KV cache exhausted');
	});

	it('times out waiting for the answer and between chunks', async () => {
		server.behave({ delayMs: 1000 });
		const slow = await failure(streamChat(target, body, { ...timeouts, responseTimeoutMs: 200 }));
		expect(slow.code).toBe('gateway_timeout');
		expect(slow.message).toContain('did not answer within 0.2 s');
		server.behave({ reply: 'a b c d', stallAfter: 2 });
		const deltas: string[] = [];
		const stalled = await failure(streamChat(target, body, timeouts, { onDelta: (t) => deltas.push(t) }));
		expect(deltas.join('')).toBe('a b ');
		expect(stalled.message).toContain('broke off after 4 characters');
		expect(stalled.message).toContain('nothing arrived for 0.3 s');
	});

	it('says when the connection drops mid-answer', async () => {
		server.behave({ reply: 'a b c d', dropAfter: 1 });
		const error = await failure(streamChat(target, body, timeouts));
		expect(error.message).toMatch(/broke off after 2 characters \(the partial answer is kept, marked incomplete\)/);
	});

	it('says when the connection is refused', async () => {
		const closed = { ...target, baseUrl: `http://127.0.0.1:${await freePort()}` };
		const error = await failure(streamChat(closed, body, timeouts));
		expect(error.message).toContain('the connection was refused');
	});

	it('resolves with the text so far when cancelled', async () => {
		server.behave({ reply: 'a b c d', stallAfter: 2 });
		const controller = new AbortController();
		const answer = await streamChat(target, body, { ...timeouts, idleTimeoutMs: 10_000 }, {
			signal: controller.signal,
			onDelta: (t) => {
				if (t === 'b ') controller.abort();
			}
		});
		expect(answer).toMatchObject({ text: 'a b ', cancelled: true });
	});
});

describe('discovery', () => {
	it('lists the models and checks health', async () => {
		expect((await discoverModels(target, 1000)).map((m) => m.id)).toEqual(['test-model', 'other']);
		expect(await checkHealth(target, 1000)).toMatchObject({ ok: true, via: 'health' });
		const wrongKey = await failure(discoverModels({ ...target, apiKey: 'nope' }, 1000));
		expect(wrongKey.message).toContain('answered 401');
		expect(wrongKey.message).toContain('Invalid API key');
	});

	it('falls back to /v1/models where there is no /health, and reports a down server', async () => {
		const bare = await OpenAITestServer.start({ health: 'missing' });
		try {
			expect(await checkHealth({ name: 'bare', baseUrl: bare.url, apiKey: null }, 1000)).toMatchObject({ ok: true, via: 'models' });
			await bare.refuse();
			const down = await checkHealth({ name: 'bare', baseUrl: bare.url, apiKey: null }, 1000);
			expect(down).toMatchObject({ ok: false, via: 'health' });
			// A pooled connection that the server cut reads as closed; a fresh one is refused.
			expect(down.message).toMatch(/refused|closed the connection/);
		} finally {
			await bare.close();
		}
	});
});
