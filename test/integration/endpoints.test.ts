import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EndpointInfo } from '../../src/lib/shared/endpoints';
import type { EvalRecord } from '../../src/lib/shared/evalJob';
import type { EvalReport } from '../../src/lib/shared/eval';
import type { GenerationResult, GenerationStarted, InferenceModel, PartialAnswer } from '../../src/lib/shared/inference';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import { createCanvas } from '../../src/lib/server/demo/canvas';
import { encodePng } from '../../src/lib/server/demo/png';
import { addUser, type ApiClient, setupAdmin } from '../helpers/api';
import { OpenAITestServer } from '../helpers/openaiTestServer';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const KEY = 'sk-endpoint-secret-4242';
let upstream: OpenAITestServer;
let server: TestServer;
let admin: ApiClient;
let member: ApiClient;
let endpoint: EndpointInfo;

beforeAll(async () => {
	upstream = await OpenAITestServer.start({ apiKey: KEY, models: ['vlm-a', 'vlm-b'] });
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(8));
	server = await startServer({ dataDir, env: { SWIFTBOARD_ENDPOINT_RESPONSE_TIMEOUT_S: '1', SWIFTBOARD_ENDPOINT_IDLE_TIMEOUT_S: '0.5' } });
	admin = await setupAdmin(server.url);
	member = await addUser(admin, 'member1', 'member');
}, 120_000);

afterAll(async () => {
	await server?.stop();
	await upstream?.close();
});

beforeEach(() => upstream.behave({}));

async function upload(client: ApiClient, name: string, bytes: Uint8Array): Promise<string> {
	const form = new FormData();
	form.append('files', new Blob([Buffer.from(bytes)]), name);
	const response = await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
	expect(response.status).toBe(201);
	return ((await response.json()) as { files: { id: string }[] }).files[0].id;
}

/** Follows a generation's stream from its first event until `done` or `error`. */
async function follow(client: ApiClient, started: GenerationStarted): Promise<StreamEvent[]> {
	const socket: ClientSocket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.cookie }, reconnection: false, forceNew: true });
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	const events: StreamEvent[] = [];
	try {
		return await new Promise<StreamEvent[]>((resolve, reject) => {
			const take = (event: StreamEvent) => {
				if (event.stream !== started.stream) return;
				events.push(event);
				if (event.type === 'done' || event.type === 'error') resolve(events);
			};
			socket.on('stream:event', take);
			socket.on('stream:replay', (batch) => batch.events.forEach(take));
			socket.emit('stream:subscribe', { stream: started.stream, afterSeq: 0 }, (ack: SubscribeAck) => {
				if (!ack.ok) reject(new Error(ack.error.message));
			});
		});
	} finally {
		socket.close();
	}
}

async function generate(body: object): Promise<{ deltas: string; end: StreamEvent }> {
	const started = await member.json<GenerationStarted>('POST', '/api/generations', body);
	expect(started.status, JSON.stringify(started.body)).toBe(202);
	const events = await follow(member, started.body);
	return { deltas: events.filter((e) => e.type === 'delta').map((e) => (e.data as { text: string }).text).join(''), end: events.at(-1)! };
}

const ask = (content: string) => ({ modelId: `endpoint:${endpoint.id}`, messages: [{ role: 'user', content }], sampling: { max_new_tokens: 32 } });

async function waitForEval(id: string): Promise<{ eval: EvalRecord; report: EvalReport | null }> {
	for (;;) {
		const { body } = await member.json<{ eval: EvalRecord; report: EvalReport | null }>('GET', `/api/evals/${id}`);
		if (!['queued', 'running'].includes(body.eval.status)) return body;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe('registering an endpoint', () => {
	it('is for admins only', async () => {
		const refused = await member.json('POST', '/api/endpoints', { name: 'x', baseUrl: upstream.url, model: 'vlm-a' });
		expect(refused.status).toBe(403);
		expect((await member.json('POST', '/api/endpoints/discover', { baseUrl: upstream.url })).status).toBe(403);
	});

	it('discovers the models the server lists, with the key, and says why when the key is wrong', async () => {
		const found = await admin.json<{ models: { id: string }[] }>('POST', '/api/endpoints/discover', { baseUrl: `${upstream.url}/v1`, apiKey: KEY });
		expect(found.status).toBe(200);
		expect(found.body.models.map((m) => m.id)).toEqual(['vlm-a', 'vlm-b']);
		const wrong = await admin.json<{ error: { message: string } }>('POST', '/api/endpoints/discover', { baseUrl: upstream.url, apiKey: 'sk-wrong' });
		expect(wrong.status).toBe(502);
		expect(wrong.body.error.message).toContain('answered 401');
		expect(wrong.body.error.message).toContain('Invalid API key');
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/endpoints', { name: 'x', baseUrl: 'file:///etc/passwd', model: 'm' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.baseUrl).toContain('http(s) URL');
	});

	it('stores the key without ever showing it', async () => {
		const created = await admin.request('POST', '/api/endpoints', { name: 'Test vLLM', baseUrl: upstream.url, apiKey: KEY, model: 'vlm-a', modalities: ['text', 'image'] });
		const text = await created.text();
		expect(created.status).toBe(201);
		expect(text).not.toContain(KEY);
		endpoint = (JSON.parse(text) as { endpoint: EndpointInfo }).endpoint;
		expect(endpoint).toMatchObject({ name: 'Test vLLM', model: 'vlm-a', hasApiKey: true, mediaStyle: 'vllm', baseUrl: upstream.url });

		for (const client of [admin, member]) {
			for (const path of ['/api/endpoints', `/api/endpoints/${endpoint.id}`, '/api/inference/models', '/models', '/chat', '/eval']) {
				const response = await client.request('GET', path);
				expect(response.status, path).toBe(200);
				expect(await response.text(), path).not.toContain(KEY);
			}
		}
		const listed = await member.json<{ endpoints: EndpointInfo[] }>('GET', '/api/endpoints');
		// The URL is server configuration: admins see it, others do not.
		expect(listed.body.endpoints[0]).toMatchObject({ id: endpoint.id, baseUrl: null, hasApiKey: true, health: { ok: true, via: 'health' } });

		const renamed = await admin.json<{ endpoint: EndpointInfo }>('PATCH', `/api/endpoints/${endpoint.id}`, { name: 'Test vLLM 2' });
		// A change leaves the fields it does not name, the key included, as they were.
		expect(renamed.body.endpoint).toMatchObject({ name: 'Test vLLM 2', hasApiKey: true, modalities: ['text', 'image'], mediaStyle: 'vllm', model: 'vlm-a' });
		expect((await member.json('PATCH', `/api/endpoints/${endpoint.id}`, { name: 'mine' })).status).toBe(403);
		expect((await member.json('DELETE', `/api/endpoints/${endpoint.id}`)).status).toBe(403);
		const models = await admin.json<{ models: { id: string }[] }>('GET', `/api/endpoints/${endpoint.id}/models`);
		expect(models.body.models.map((m) => m.id)).toEqual(['vlm-a', 'vlm-b']);
	});

	it('lists the endpoint among the models that can answer', async () => {
		const { body } = await member.json<{ models: InferenceModel[] }>('GET', '/api/inference/models');
		expect(body.models.find((m) => m.id === `endpoint:${endpoint.id}`)).toMatchObject({ engine: 'endpoint', servable: true, modalities: ['text', 'image'], name: 'Test vLLM 2' });
	});
});

describe('chat through an endpoint', () => {
	it('streams an answer to an image, sent as a data URL content part, with usage and timings', async () => {
		const canvas = createCanvas(8, 8, [200, 40, 40]);
		const png = encodePng(canvas);
		const uploadId = await upload(member, 'square.png', png);
		const { deltas, end } = await generate({ ...ask('<image>What shape is this?'), media: [{ kind: 'image', uploadId }] });
		expect(end.type, JSON.stringify(end.data)).toBe('done');
		const result = end.data as GenerationResult;
		expect(result.text).toBe('You said: What shape is this?');
		expect(deltas).toBe(result.text);
		expect(result.usage).toEqual({ prompt_tokens: 7, completion_tokens: 6 });
		expect(result.finishReason).toBe('stop');
		expect(result.timings.ttftMs).toBeGreaterThan(0);
		expect(result.timings.tokensPerS).toBeGreaterThan(0);
		const sent = upstream.chatRequests().at(-1)!;
		expect(sent.authorization).toBe(`Bearer ${KEY}`);
		expect(sent.body).toMatchObject({
			model: 'vlm-a',
			stream: true,
			max_tokens: 32,
			messages: [
				{
					role: 'user',
					content: [
						{ type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } },
						{ type: 'text', text: 'What shape is this?' }
					]
				}
			]
		});
	});

	it('refuses media the endpoint does not read before asking it', async () => {
		const started = await member.json<{ error: { message: string } }>('POST', '/api/generations', { ...ask('<audio>hi'), media: [{ kind: 'audio', uploadId: await upload(member, 'a.wav', Buffer.from('RIFF\0\0\0\0WAVEfmt ')) }] });
		expect(started.status).toBe(400);
		expect(started.body.error.message).toContain('reads text, image only');
	});

	it('sends audio in the media style the admin chose: audio_url for vLLM, input_audio for OpenAI', async () => {
		const wav = Buffer.concat([Buffer.from('RIFF\x24\0\0\0WAVEfmt '), Buffer.alloc(32)]);
		const b64 = wav.toString('base64');
		await admin.json('PATCH', `/api/endpoints/${endpoint.id}`, { modalities: ['text', 'image', 'audio'] });
		const vllm = await generate({ ...ask('<audio>Transcribe'), media: [{ kind: 'audio', uploadId: await upload(member, 'a.wav', wav) }] });
		expect(vllm.end.type).toBe('done');
		expect((upstream.chatRequests().at(-1)!.body as { messages: { content: unknown }[] }).messages[0].content).toEqual([
			{ type: 'audio_url', audio_url: { url: `data:audio/wav;base64,${b64}` } },
			{ type: 'text', text: 'Transcribe' }
		]);
		await admin.json('PATCH', `/api/endpoints/${endpoint.id}`, { mediaStyle: 'openai' });
		const openai = await generate({ ...ask('<audio>Transcribe'), media: [{ kind: 'audio', uploadId: await upload(member, 'a.wav', wav) }] });
		expect(openai.end.type).toBe('done');
		const sent = upstream.chatRequests().at(-1)!.body as Record<string, unknown> & { messages: { content: unknown }[] };
		expect(sent.messages[0].content).toEqual([
			{ type: 'input_audio', input_audio: { data: b64, format: 'wav' } },
			{ type: 'text', text: 'Transcribe' }
		]);
		// OpenAI's own API refuses fields it does not know.
		expect(sent).not.toHaveProperty('top_k');
		await admin.json('PATCH', `/api/endpoints/${endpoint.id}`, { modalities: ['text', 'image'], mediaStyle: 'vllm' });
	});

	it.each([
		[{ status: 500, errorMessage: 'CUDA out of memory' }, /answered 500.*CUDA out of memory/],
		[{ status: 400, errorMessage: "This model's maximum context length is 4096 tokens" }, /answered 400.*maximum context length is 4096/],
		[{ delayMs: 3000 }, /did not answer within 1\.0 s/],
		[{ reply: 'one two three four', stallAfter: 2 }, /broke off after 8 characters \(the partial answer is kept, marked incomplete\): nothing arrived for 0\.5 s/],
		[{ reply: 'one two three four', dropAfter: 2 }, /broke off after 8 characters \(the partial answer is kept, marked incomplete\): the server closed the connection/]
	])('ends with a clear error when the server misbehaves: %o', async (behaviour, message) => {
		upstream.behave(behaviour);
		const { deltas, end } = await generate(ask('hello'));
		expect(end.type).toBe('error');
		expect((end.data as { message: string }).message).toMatch(message);
		expect((end.data as { message: string }).message).toContain('Test vLLM 2');
		const partial = (end.data as { partial?: PartialAnswer }).partial;
		if ('stallAfter' in behaviour || 'dropAfter' in behaviour) {
			expect(deltas).toBe('one two ');
			// What streamed before the break goes with the error, for the chat to keep.
			expect(partial).toMatchObject({ text: 'one two ', usage: { completion_tokens: 2 } });
		} else expect(partial).toBeUndefined();
	});

	it('says the connection was refused, and the endpoint shows as down until it is back', async () => {
		await upstream.refuse();
		try {
			const { end } = await generate(ask('hello'));
			expect(end.type).toBe('error');
			expect((end.data as { message: string }).message).toMatch(/could not be reached: (the connection was refused|the server closed the connection)/);
			const listed = await member.json<{ endpoints: EndpointInfo[] }>('GET', '/api/endpoints');
			expect(listed.body.endpoints[0].health).toMatchObject({ ok: false });
		} finally {
			await upstream.resume();
		}
		const { end } = await generate(ask('hello again'));
		expect(end.type).toBe('done');
	});
});

describe('eval against an endpoint', () => {
	it('asks each sample, four at a time, and scores the answers into a report', async () => {
		upstream.behave({ reply: '8', delayMs: 200 });
		const before = upstream.chatRequests().length;
		upstream.maxInFlight = 0;
		const started = await member.json<{ eval: EvalRecord }>('POST', '/api/evals', { model: `endpoint:${endpoint.id}`, dataset: 'arith', split: 'all', limit: 6, metrics: ['exact_match'], max_new_tokens: 8 });
		expect(started.status, JSON.stringify(started.body)).toBe(201);
		const { eval: record, report } = await waitForEval(started.body.eval.id);
		expect(record.status, record.error ?? '').toBe('succeeded');
		expect(record).toMatchObject({ modelId: `endpoint:${endpoint.id}`, modelName: 'Test vLLM 2 (vlm-a)', done: 6, total: 6 });
		const asked = upstream.chatRequests().slice(before);
		expect(asked).toHaveLength(6);
		expect(asked[0].body).toMatchObject({ model: 'vlm-a', temperature: 0, max_tokens: 8, messages: [{ role: 'user', content: 'What is 0 plus 0?' }] });
		expect(upstream.maxInFlight).toBeLessThanOrEqual(4);
		expect(upstream.maxInFlight).toBeGreaterThan(1);
		// Rows 0-5 answer 0, 8, 6, 4, 12, 10: "8" is right once.
		expect(report?.samples.map((s) => s.prediction)).toEqual(['8', '8', '8', '8', '8', '8']);
		expect(record.headline).toMatchObject({ metric: 'exact_match' });
		expect(record.headline?.score).toBeCloseTo(1 / 6, 5);
	});

	it("fails with the server's own error message", async () => {
		upstream.behave({ status: 503, errorMessage: 'server is shutting down' });
		const started = await member.json<{ eval: EvalRecord }>('POST', '/api/evals', { model: `endpoint:${endpoint.id}`, dataset: 'arith', split: 'all', limit: 3, metrics: ['exact_match'] });
		const { eval: record } = await waitForEval(started.body.eval.id);
		expect(record.status).toBe('failed');
		expect(record.error).toMatch(/answered 503.*server is shutting down/);
	});

	it('refuses an unknown endpoint', async () => {
		const refused = await member.json<{ error: { message: string } }>('POST', '/api/evals', { model: 'endpoint:nope', dataset: 'arith', split: 'all' });
		expect(refused.status).toBe(400);
		expect(refused.body.error.message).toContain('No endpoint "nope"');
	});
});

describe('removing an endpoint', () => {
	it('takes it out of the model list', async () => {
		expect((await admin.json('DELETE', `/api/endpoints/${endpoint.id}`)).status).toBe(200);
		const { body } = await member.json<{ models: InferenceModel[] }>('GET', '/api/inference/models');
		expect(body.models.some((m) => m.engine === 'endpoint')).toBe(false);
		const gone = await member.json('POST', '/api/generations', ask('hello'));
		expect(gone.status).toBe(404);
	});
});
