import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greedyAnswers } from '../../src/lib/engine/models/multimodal/generate';
import { MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import type { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { loadSavedModel } from '../../src/lib/engine/models/saved';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { mediaLoaders } from '../../workers/jobs/mediaLoaders';
import { addUser, type ApiClient, setupAdmin } from '../helpers/api';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/waitFor';

/**
 * The OpenAI-compatible API driven by the official `openai` client against the real server: keys made
 * through the REST API, a demo-vlm trained here and answering with images, audio and video exactly
 * as the engine's own greedy decoding does, and the refusals (revoked keys, URLs, paths, rate).
 */

const RPM = 40;
let server: TestServer;
let admin: ApiClient;
let viewer: ApiClient;
let adminKey: string;
let modelId: string;
let checkpointDir: string;

interface Row {
	messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
	images?: string[];
	audios?: string[];
	videos?: string[];
}

async function createKey(client: ApiClient, name: string): Promise<{ id: string; secret: string }> {
	const created = await client.json<{ key: { id: string }; secret: string }>('POST', '/api/keys', { name });
	expect(created.status).toBe(201);
	return { id: created.body.key.id, secret: created.body.secret };
}

const openai = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${server.url}/api/v1`, maxRetries: 0 });

beforeAll(async () => {
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir, env: { SWIFTBOARD_API_KEY_RPM: String(RPM) } });
	admin = await setupAdmin(server.url);
	viewer = await addUser(admin, 'demo-viewer', 'viewer');
	adminKey = (await createKey(admin, 'tests')).secret;
	const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', {
		name: 'vlm',
		model: 'demo-vlm',
		dataset: 'demo',
		tuner_type: 'full',
		freeze_vit: false,
		per_device_train_batch_size: 8,
		learning_rate: 3e-3,
		max_steps: 80,
		save_steps: 80,
		logging_steps: 1
	});
	expect(created.status).toBe(201);
	const run = await waitFor(
		async () => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${created.body.run.id}`)).body.run,
		(r) => r.status !== 'queued' && r.status !== 'running'
	);
	expect(run.status, run.error ?? '').toBe('succeeded');
	const models = await waitFor(
		async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models,
		(list) => list.some((m) => m.runId === run.id)
	);
	modelId = (models.find((m) => m.runId === run.id) as ModelSummary).id;
	checkpointDir = path.join(dataDir, 'runs', run.id, 'checkpoint-80');
}, 300_000);
afterAll(async () => {
	await server?.stop();
});

/** A held-out demo row whose first medium is of this kind, its media as absolute paths. */
function demoRow(kind: 'images' | 'audios' | 'videos'): Row & { files: string[] } {
	const dir = path.join(server.dataDir, 'datasets', 'demo-val');
	const rows = fs.readFileSync(path.join(dir, 'data.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
	const row = rows.find((r) => (r[kind]?.length ?? 0) === 1 && Object.keys(r).filter((k) => ['images', 'audios', 'videos'].includes(k) && (r[k as keyof Row]?.length ?? 0) > 0).length === 1);
	if (!row) throw new Error(`no demo row with one ${kind}`);
	const firstUser = row.messages.findIndex((m) => m.role === 'user');
	return { ...row, messages: row.messages.slice(0, firstUser + 1), files: (row[kind] as string[]).map((f) => path.resolve(dir, f)) };
}

/** The engine's own greedy answer for the same prompt and media (no repetition penalty). */
async function engineGreedy(row: Row, lists: Partial<Record<'image' | 'audio' | 'video', string[]>>, maxNewTokens: number): Promise<string> {
	const model = (await loadSavedModel(checkpointDir)) as MultimodalModel;
	const cache = new MediaFeatureCache(model.config, mediaLoaders);
	const sample = await cache.promptSample(row.messages, lists, '/');
	return greedyAnswers(model, [sample], { maxNewTokens })[0];
}

/** The row's messages as content parts: each media tag becomes the part `part(i)` gives. */
function asParts(row: Row, part: (index: number) => OpenAI.Chat.ChatCompletionContentPart): OpenAI.Chat.ChatCompletionMessageParam[] {
	let media = 0;
	return row.messages.map((m) => {
		if (m.role !== 'user') return { role: m.role, content: m.content } as OpenAI.Chat.ChatCompletionMessageParam;
		const parts: OpenAI.Chat.ChatCompletionContentPart[] = [];
		for (const piece of m.content.split(/(<image>|<audio>|<video>)/)) {
			if (/^<(image|audio|video)>$/.test(piece)) parts.push(part(media++));
			else if (piece) parts.push({ type: 'text', text: piece });
		}
		return { role: 'user', content: parts };
	});
}

const dataUrl = (mime: string, file: string) => `data:${mime};base64,${fs.readFileSync(file).toString('base64')}`;
const greedy = { temperature: 0, repetition_penalty: 1 } as Record<string, number>;
const MAX_TOKENS = 12;

describe('keys and models', () => {
	it('lists the trained model in OpenAI’s shape', async () => {
		const list = await openai(adminKey).models.list();
		const ids = list.data.map((m) => m.id);
		expect(ids).toContain(modelId);
		expect(list.data.find((m) => m.id === modelId)).toMatchObject({ object: 'model', owned_by: 'swiftboard' });
	});

	it('lists keys without their secret; a revoked key gets 401 at once', async () => {
		const key = await createKey(admin, 'to revoke');
		const listed = await admin.json<{ keys: { id: string; prefix: string; lastUsedAt: number | null }[] }>('GET', '/api/keys');
		expect(JSON.stringify(listed.body)).not.toContain(key.secret);
		expect(listed.body.keys.find((k) => k.id === key.id)?.prefix).toBe(key.secret.slice(0, 11));
		await openai(key.secret).models.list();
		expect((await admin.request('DELETE', `/api/keys/${key.id}`)).status).toBe(200);
		const refused = await openai(key.secret)
			.models.list()
			.catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
		expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
		expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
		// Another user's key is not theirs to revoke.
		const mine = await createKey(admin, 'kept');
		expect((await viewer.request('DELETE', `/api/keys/${mine.id}`)).status).toBe(404);
	});

	it('no key, a wrong key, and a key on a non-v1 route are refused; the key never borrows a cookie', async () => {
		const noKey = await fetch(`${server.url}/api/v1/models`);
		expect(noKey.status).toBe(401);
		expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
		expect((await openai('sb-wrong').models.list().catch((e: unknown) => e)) instanceof OpenAI.AuthenticationError).toBe(true);
		const elsewhere = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${adminKey}`, cookie: admin.cookie } });
		expect(elsewhere.status).toBe(401);
	});

	it('a deleted user’s keys stop working', async () => {
		const temp = await addUser(admin, 'short-lived', 'member');
		const key = await createKey(temp, 'k');
		await openai(key.secret).models.list();
		const users = await admin.json<{ users: { id: string; username: string }[] }>('GET', '/api/admin/users');
		const id = users.body.users.find((u) => u.username === 'short-lived')?.id;
		expect((await admin.request('DELETE', `/api/admin/users/${id}`)).status).toBe(200);
		expect((await openai(key.secret).models.list().catch((e: unknown) => e)) instanceof OpenAI.AuthenticationError).toBe(true);
	});

	it(`a key may send ${RPM} requests a minute, then 429 with Retry-After`, async () => {
		const key = await createKey(admin, 'busy');
		const client = openai(key.secret);
		for (let i = 0; i < RPM; i++) await client.models.list();
		const refused = (await client.models.list().catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
		expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
		expect(refused.headers.get('retry-after')).toBeTruthy();
		// Other keys have their own budget.
		await openai(adminKey).models.list();
	});
});

describe('chat completions', () => {
	it('a viewer’s key streams an answer about an image, equal to the engine’s greedy decoding', async () => {
		const row = demoRow('images');
		const key = await createKey(viewer, 'viewer key');
		const stream = await openai(key.secret).chat.completions.create({
			model: modelId,
			messages: asParts(row, (i) => ({ type: 'image_url', image_url: { url: dataUrl('image/png', row.files[i]) } })),
			max_tokens: MAX_TOKENS,
			stream: true,
			stream_options: { include_usage: true },
			...greedy
		});
		const chunks: OpenAI.Chat.ChatCompletionChunk[] = [];
		for await (const chunk of stream) chunks.push(chunk);
		expect(chunks[0].choices[0].delta.role).toBe('assistant');
		const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
		expect(chunks.at(-2)?.choices[0].finish_reason).toMatch(/^(stop|length)$/);
		const usage = chunks.at(-1)?.usage;
		expect(chunks.at(-1)?.choices).toEqual([]);
		// A trained model says something: several content pieces, one per token.
		expect(text.length).toBeGreaterThan(1);
		expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
		expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
		const expectedText = await engineGreedy(row, { image: row.files }, MAX_TOKENS);
		expect(text).toBe(expectedText);
	});

	it('input_audio answers as the engine does', async () => {
		const row = demoRow('audios');
		const format = row.files[0].endsWith('.mp3') ? 'mp3' : 'wav';
		const answer = await openai(adminKey).chat.completions.create({
			model: modelId,
			messages: asParts(row, (i) => ({ type: 'input_audio', input_audio: { data: fs.readFileSync(row.files[i]).toString('base64'), format } })),
			max_tokens: MAX_TOKENS,
			...greedy
		});
		expect(answer.object).toBe('chat.completion');
		const expectedAudio = await engineGreedy(row, { audio: row.files }, MAX_TOKENS);
		expect(expectedAudio).not.toBe('');
		expect(answer.choices[0].message.content).toBe(expectedAudio);
	});

	it('video_url and ms-swift’s videos list answer as the engine does', async () => {
		const row = demoRow('videos');
		const expected = await engineGreedy(row, { video: row.files }, MAX_TOKENS);
		expect(expected).not.toBe('');
		const mime = row.files[0].endsWith('.webm') ? 'video/webm' : 'video/mp4';
		const parts = await openai(adminKey).chat.completions.create({
			model: modelId,
			messages: asParts(row, (i) => ({ type: 'video_url', video_url: { url: dataUrl(mime, row.files[i]) } }) as unknown as OpenAI.Chat.ChatCompletionContentPart),
			max_tokens: MAX_TOKENS,
			...greedy
		});
		expect(parts.choices[0].message.content).toBe(expected);
		const listed = await openai(adminKey).chat.completions.create({
			model: modelId,
			messages: row.messages,
			max_tokens: MAX_TOKENS,
			...greedy,
			videos: row.files.map((f) => fs.readFileSync(f).toString('base64'))
		} as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
		expect(listed.choices[0].message.content).toBe(expected);
	});

	it('a client that hangs up mid-stream ends the request; no request leaves its media behind', async () => {
		const row = demoRow('images');
		const abort = new AbortController();
		const stream = await openai(adminKey).chat.completions.create(
			{
				model: modelId,
				messages: asParts(row, (i) => ({ type: 'image_url', image_url: { url: dataUrl('image/png', row.files[i]) } })),
				max_tokens: 256,
				stream: true
			},
			{ signal: abort.signal }
		);
		const iterator = stream[Symbol.asyncIterator]();
		expect((await iterator.next()).value?.choices[0].delta.role).toBe('assistant');
		abort.abort();
		const mediaDir = path.join(server.dataDir, 'tmp', 'api-v1');
		await waitFor(async () => (fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir) : []), (left) => left.length === 0, 10_000);
		// The server still answers.
		expect((await openai(adminKey).models.list()).data.length).toBeGreaterThan(0);
	});

	it('an image that cannot be decoded is a 400 naming its part', async () => {
		const broken = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);
		const refused = (await openai(adminKey)
			.chat.completions.create({
				model: modelId,
				messages: [{ role: 'user', content: [{ type: 'text', text: 'Colour?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${broken.toString('base64')}` } }] }]
			})
			.catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
		expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
		expect(refused.param).toBe('messages[0].content[1].image_url.url');
	});

	it('an unknown model is a 404 in OpenAI’s shape', async () => {
		const refused = await openai(adminKey)
			.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
			.catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(OpenAI.NotFoundError);
	});
});

describe('URLs and paths are never fetched or read', () => {
	let requests = 0;
	let bait: http.Server;
	let baitUrl: string;
	beforeAll(async () => {
		bait = http.createServer((_req, res) => {
			requests++;
			res.end('not an image');
		});
		await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
		baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/cat.png`;
	});
	afterAll(async () => {
		await new Promise((resolve) => bait.close(resolve));
	});

	it.each([
		['an http URL', () => baitUrl, 'a http: URL'],
		['a file path', () => '/etc/passwd', 'a file path'],
		['a file: URL', () => 'file:///etc/passwd', 'a file: URL']
	])('%s in a content part is a 400 naming the part', async (_name, url, what) => {
		const refused = (await openai(adminKey)
			.chat.completions.create({
				model: modelId,
				messages: [
					{ role: 'system', content: 'Answer briefly.' },
					{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: url() } }] }
				]
			})
			.catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
		expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
		expect(refused.status).toBe(400);
		expect(refused.type).toBe('invalid_request_error');
		expect(refused.param).toBe('messages[1].content[1].image_url.url');
		expect(refused.message).toContain(what);
	});

	it('in ms-swift’s lists too, and the bait server saw no request at all', async () => {
		const refused = (await openai(adminKey)
			.chat.completions.create({ model: modelId, messages: [{ role: 'user', content: '<image>What colour?' }], images: [baitUrl] } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
			.catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
		expect(refused.param).toBe('images[0]');
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(requests).toBe(0);
	});
});
