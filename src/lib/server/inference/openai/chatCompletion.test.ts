import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from '../../http/httpError';
import type { ChatBackend, GenerationResult, MediaInput, SamplingRequest } from './backend';
import { chatCompletion, withMediaParam } from './chatCompletion';
import { OpenAIError } from './openaiError';

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(24, 1)]);

interface Seen {
	media: MediaInput[];
	filesExisted: boolean[];
	sampling: SamplingRequest;
	signal?: AbortSignal;
}

/** A backend that answers from a script of deltas, recording what it was asked. */
function scripted(deltas: string[], options: { fail?: HttpError; waitForAbort?: boolean } = {}): ChatBackend<string> & { seen: Seen[] } {
	const seen: Seen[] = [];
	return {
		seen,
		models: () => [{ id: 'demo', name: 'demo', modalities: ['text', 'image'], kind: 'checkpoint', servable: true }],
		async generate(request, _user, callbacks) {
			seen.push({ media: request.media, filesExisted: request.media.map((m) => fs.existsSync(m.file)), sampling: request.sampling, signal: callbacks.signal });
			if (options.fail) throw options.fail;
			for (const delta of deltas) {
				await new Promise((resolve) => setTimeout(resolve, 1));
				callbacks.onDelta?.(delta);
			}
			if (options.waitForAbort) {
				await new Promise<void>((resolve) => callbacks.signal?.addEventListener('abort', () => resolve(), { once: true }));
			}
			const result: GenerationResult = {
				text: deltas.join(''),
				finishReason: callbacks.signal?.aborted ? 'cancelled' : 'length',
				usage: { prompt_tokens: 7, completion_tokens: deltas.length },
				timings: { ttftMs: 1, totalMs: 2, tokensPerS: 3 }
			};
			return result;
		}
	};
}

let tmpRoot: string;
beforeEach(() => {
	tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'v1-test-'));
});
afterEach(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const deps = (backend: ChatBackend<string>) => ({ backend, user: 'u', locateUpload: async () => null, maxMediaBytes: 1 << 20, tmpRoot });
const body = (extra: Record<string, unknown> = {}) => ({
	model: 'demo',
	messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } }, { type: 'text', text: 'colour?' }] }],
	...extra
});

async function events(response: Response): Promise<unknown[]> {
	const text = await response.text();
	return text
		.split('\n\n')
		.filter(Boolean)
		.map((line) => {
			expect(line.startsWith('data: ')).toBe(true);
			const data = line.slice('data: '.length);
			return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
		});
}

describe('chat completions', () => {
	it('answers a chat.completion with usage; the media file exists during generation and is gone after', async () => {
		const backend = scripted(['red', ' square']);
		const response = await chatCompletion(body({ max_tokens: 5, temperature: 0, stop: 'x', top_k: -1 }), new AbortController().signal, deps(backend));
		const answer = (await response.json()) as Record<string, unknown>;
		expect(answer).toMatchObject({
			object: 'chat.completion',
			model: 'demo',
			choices: [{ index: 0, message: { role: 'assistant', content: 'red square' }, finish_reason: 'length' }],
			usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 }
		});
		expect(backend.seen[0].filesExisted).toEqual([true]);
		expect(backend.seen[0].sampling).toEqual({ max_new_tokens: 5, temperature: 0, stop: ['x'], top_k: 0, top_p: 0.7, repetition_penalty: 1.05, ignore_eos: false });
		await vi.waitFor(() => expect(fs.readdirSync(tmpRoot)).toEqual([]));
	});

	it('takes vLLM\'s ignore_eos from the extra body, and refuses one that is not a boolean', async () => {
		const backend = scripted(['a']);
		await chatCompletion(body({ ignore_eos: true, max_tokens: 3 }), new AbortController().signal, deps(backend));
		expect(backend.seen[0].sampling).toMatchObject({ ignore_eos: true, max_new_tokens: 3 });
		const refused = await chatCompletion(body({ ignore_eos: 'yes' }), new AbortController().signal, deps(backend)).catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(OpenAIError);
		expect((refused as OpenAIError).message).toMatch(/ignore_eos/);
		expect(backend.seen).toHaveLength(1);
	});

	it('streams role, content pieces, finish, a usage chunk, then [DONE]', async () => {
		const response = await chatCompletion(body({ stream: true, stream_options: { include_usage: true } }), new AbortController().signal, deps(scripted(['a', 'b', 'c'])));
		expect(response.headers.get('content-type')).toContain('text/event-stream');
		const all = (await events(response)) as { id: string; object: string; choices: { delta: unknown; finish_reason: unknown }[]; usage: unknown }[];
		expect(all.at(-1)).toBe('[DONE]');
		const chunks = all.slice(0, -1);
		expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
		expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
		expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([{ role: 'assistant', content: '' }, { content: 'a' }, { content: 'b' }, { content: 'c' }, {}, null]);
		expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([null, null, null, null, 'length', null]);
		expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
		expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
	});

	it('without include_usage the chunks carry no usage field', async () => {
		const response = await chatCompletion(body({ stream: true }), new AbortController().signal, deps(scripted(['a'])));
		const chunks = (await events(response)).slice(0, -1) as Record<string, unknown>[];
		expect(chunks).toHaveLength(3);
		expect(chunks.every((c) => !('usage' in c))).toBe(true);
	});

	it('a client that stops reading cancels the generation and the temp media go', async () => {
		const backend = scripted(['a'], { waitForAbort: true });
		const response = await chatCompletion(body({ stream: true }), new AbortController().signal, deps(backend));
		const reader = response.body!.getReader();
		await reader.read();
		await reader.cancel();
		expect(backend.seen[0].signal?.aborted).toBe(true);
		await vi.waitFor(() => expect(fs.readdirSync(tmpRoot)).toEqual([]));
	});

	it('an error before the first token keeps its HTTP status, even when streaming', async () => {
		const backend = scripted([], { fail: new HttpError('rate_limited', 'Busy.') });
		const error = await chatCompletion(body({ stream: true }), new AbortController().signal, deps(backend)).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(OpenAIError);
		expect((error as OpenAIError).status).toBe(429);
		expect((error as OpenAIError).toBody().error.type).toBe('rate_limit_error');
	});

	it('an unknown model is a 404 and nothing is generated or written', async () => {
		const backend = scripted(['a']);
		const error = (await chatCompletion(body({ model: 'nope' }), new AbortController().signal, deps(backend)).catch((e: unknown) => e)) as OpenAIError;
		expect(error.status).toBe(404);
		expect(error.code).toBe('model_not_found');
		expect(backend.seen).toEqual([]);
		expect(fs.readdirSync(tmpRoot)).toEqual([]);
	});

	it('an upload that is not the caller’s is refused, naming the part', async () => {
		const error = (await chatCompletion(
			body({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'swiftboard-upload:someone-else' } }] }] }),
			new AbortController().signal,
			deps(scripted(['a']))
		).catch((e: unknown) => e)) as OpenAIError;
		expect(error.status).toBe(400);
		expect(error.param).toBe('messages[0].content[0].image_url.url');
	});
});

describe('withMediaParam', () => {
	const values = [
		{ kind: 'image' as const, param: 'messages[0].content[0].image_url.url', uploadId: 'a' },
		{ kind: 'video' as const, param: 'videos[0]', uploadId: 'b' }
	];
	it('names the part the service calls an attachment, by field or by message', () => {
		const byField = withMediaParam(new HttpError('invalid_request', 'Attachment 2 is a video; "m" reads text, image only.', { 'media.1': 'no video' }), values);
		expect(byField.param).toBe('videos[0]');
		expect(byField.message).toBe('videos[0]: Attachment 2 is a video; "m" reads text, image only.');
		const byMessage = withMediaParam(new HttpError('invalid_request', 'attachment 1 (image): cannot decode'), values);
		expect(byMessage.param).toBe('messages[0].content[0].image_url.url');
		expect(byMessage.status).toBe(400);
		expect(withMediaParam(new HttpError('rate_limited', 'Busy.'), values).param).toBeNull();
	});
});
