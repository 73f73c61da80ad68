import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/lib/engine/generate/generate';
import { decoderOf } from '../../src/lib/engine/models/modelFiles';
import { loadSavedModel } from '../../src/lib/engine/models/saved';
import { decode, encode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { renderPrompt } from '../../src/lib/engine/tokenizer/chatTemplate';
import { END_ID } from '../../src/lib/engine/tokenizer/specialTokens';
import type { GenerationResult, GenerationStarted, InferenceModel, ModelExportInfo } from '../../src/lib/shared/inference';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { ClientToServerEvents, ServerToClientEvents, StreamEvent, SubscribeAck } from '../../src/lib/shared/realtime';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { addUser, type ApiClient, setupAdmin } from '../helpers/api';
import { saveLongContextModel } from '../helpers/longContextModel';
import { saveScriptedModel } from '../helpers/scriptedModel';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { readZip } from '../helpers/zip';
import { waitFor } from '../helpers/waitFor';
import { createCanvas } from '../../src/lib/server/demo/canvas';
import { encodePng } from '../../src/lib/server/demo/png';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer;
let admin: ApiClient;
let viewer: ApiClient;
let model: ModelSummary;
let checkpointDir: string;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(32));
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	viewer = await addUser(admin, 'viewer1', 'viewer');
	// Two steps at a small learning rate: a model that still talks at length (the arithmetic answers,
	// learnt, end after a digit), so a token-for-token comparison has tokens to compare.
	const run = { name: 'nano-chat', model: 'nano', dataset: 'arith', max_steps: 2, per_device_train_batch_size: 4, max_length: 64, tuner_type: 'full', save_steps: 2, logging_steps: 1, learning_rate: 1e-5 };
	const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', run);
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const finished = await waitFor(async () => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${created.body.run.id}`)).body.run, (r) => !['queued', 'running'].includes(r.status));
	expect(finished.status, finished.error ?? '').toBe('succeeded');
	const models = await waitFor(async () => (await admin.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models, (list) => list.some((m) => m.runId === finished.id && m.step === 2));
	model = models.find((m) => m.runId === finished.id && m.step === 2) as ModelSummary;
	checkpointDir = path.join(server.dataDir, 'runs', finished.id, 'checkpoint-2');
}, 300_000);

afterAll(async () => {
	await server?.stop();
});

function connect(client: ApiClient): Promise<ClientSocket> {
	const socket: ClientSocket = io(server.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: client.cookie }, reconnection: false, forceNew: true });
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve(socket));
		socket.once('connect_error', reject);
	});
}

/** Follows a generation's stream from its first event until `done` or `error`. */
async function follow(client: ApiClient, started: GenerationStarted, onDelta?: (text: string) => void): Promise<StreamEvent[]> {
	const socket = await connect(client);
	const events: StreamEvent[] = [];
	try {
		return await new Promise<StreamEvent[]>((resolve, reject) => {
			const take = (event: StreamEvent) => {
				if (event.stream !== started.stream) return;
				events.push(event);
				if (event.type === 'delta') onDelta?.((event.data as { text: string }).text);
				if (event.type === 'done' || event.type === 'error') resolve(events);
			};
			socket.on('stream:event', take);
			socket.on('stream:replay', (batch) => batch.events.forEach(take));
			socket.emit('stream:subscribe', { stream: started.stream, afterSeq: 0 }, (ack: SubscribeAck) => {
				if (!ack.ok) reject(new Error(ack.error.message));
			});
			setTimeout(() => reject(new Error(`no end on ${started.stream}; got ${JSON.stringify(events).slice(0, 500)}`)), 240_000);
		});
	} finally {
		socket.close();
	}
}

const greedy = { temperature: 0, repetition_penalty: 1, top_k: 0, top_p: 1 };


/** Imports the model files `save` writes into a fresh folder, through the Models page's import route. */
async function importModel(name: string, save: (folder: string) => Promise<string[]>): Promise<ModelSummary> {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-import-'));
	const form = new FormData();
	form.append('name', name);
	try {
		for (const file of await save(folder)) form.append('files', new Blob([fs.readFileSync(file)]), path.basename(file));
	} finally {
		fs.rmSync(folder, { recursive: true, force: true });
	}
	const imported = await fetch(`${server.url}/api/models/import`, { method: 'POST', body: form, headers: { cookie: admin.cookie } });
	expect(imported.status).toBe(201);
	return ((await imported.json()) as { model: ModelSummary }).model;
}

describe('inference from the ONNX export', () => {
	it('lists presets as not servable and the checkpoint as servable', async () => {
		const listed = await viewer.json<{ models: InferenceModel[] }>('GET', '/api/inference/models');
		expect(listed.body.models.find((m) => m.id === 'nano')).toMatchObject({ servable: false });
		expect(listed.body.models.find((m) => m.id === model.id)).toMatchObject({ servable: true, provider: 'cpu' });
	});

	it('streams the engine\'s own greedy answer token for token (viewer, over the socket)', async () => {
		const messages = [{ role: 'user' as const, content: 'What is 3 plus 4?' }];
		const started = await viewer.json<GenerationStarted>('POST', '/api/generations', { modelId: model.id, messages, sampling: { ...greedy, max_new_tokens: 24 } });
		expect(started.status, JSON.stringify(started.body)).toBe(202);
		expect(started.body.stream).toBe(`gen:${started.body.id}`);
		const events = await follow(viewer, started.body);
		const end = events[events.length - 1];
		expect(end.type, JSON.stringify(end.data)).toBe('done');
		expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
		const result = end.data as GenerationResult;

		const engine = await loadSavedModel(checkpointDir);
		try {
			const ids = generate(decoderOf(engine), renderPrompt(messages).inputIds, { max_new_tokens: 24 });
			expect(result.usage.completion_tokens).toBe(ids.length);
			expect(result.text).toBe(decode(ids));
			expect(events.filter((e) => e.type === 'delta').map((e) => (e.data as { text: string }).text).join('')).toBe(decode(ids));
		} finally {
			decoderOf(engine).dispose();
		}
		expect(result.finishReason).toBe(result.usage.completion_tokens === 24 ? 'length' : 'stop');
		expect(result.usage.completion_tokens, JSON.stringify(result)).toBeGreaterThan(3);
		expect(result.timings.ttftMs).toBeGreaterThan(0);

		const exported = await admin.json<{ export: ModelExportInfo }>('GET', `/api/models/${model.id}/export`);
		expect(exported.body.export).toMatchObject({ modelId: model.id, precisions: ['fp32', 'int8'] });
		expect(fs.readdirSync(path.join(server.dataDir, 'exports', model.id))).toEqual([exported.body.export.fingerprint]);
		// Asking again answers the existing export, and the folder downloads as a zip.
		const again = await admin.json<{ job: unknown; export: ModelExportInfo }>('POST', `/api/models/${model.id}/export`, {});
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ job: null, export: { fingerprint: exported.body.export.fingerprint } });
		const zip = await readZip(Buffer.from(await (await fetch(`${server.url}/api/models/${model.id}/export/download`, { headers: { cookie: viewer.cookie } })).arrayBuffer()));
		expect([...zip.keys()].map((name) => name.split('/').pop()).sort()).toEqual(expect.arrayContaining(['decoder.onnx', 'decoder.int8.onnx', 'embed.onnx', 'manifest.json', 'export.json']));
	});

	it('decodes concurrent streams in one batch with the same answers as one at a time', async () => {
		const prompts = ['hello', 'What is 9 plus 3?', 'A longer question, so the caches differ in length: why?'];
		const engine = await loadSavedModel(checkpointDir);
		const expected = prompts.map((p) => decode(generate(decoderOf(engine), renderPrompt([{ role: 'user', content: p }]).inputIds, { max_new_tokens: 16 })));
		decoderOf(engine).dispose();
		const results = await Promise.all(
			prompts.map(async (content) => {
				const started = await admin.json<GenerationStarted>('POST', '/api/generations', { modelId: model.id, messages: [{ role: 'user', content }], sampling: { ...greedy, max_new_tokens: 16 } });
				const events = await follow(admin, started.body);
				return (events[events.length - 1].data as GenerationResult).text;
			})
		);
		expect(results).toEqual(expected);
	});

	it('with ignore_eos decodes past the end-of-turn token to max_new_tokens, showing no text for it', async () => {
		// A model scripted to answer "ab", then its end-of-turn token, then "c" for ever.
		const [a, b, c] = encode('abc');
		const scripted = await importModel('scripted', (folder) => saveScriptedModel(folder, [[a, b], [b, END_ID], [END_ID, c], [c, c]], a));

		const messages = [{ role: 'user' as const, content: 'Say it.' }];
		const answer = async (sampling: Record<string, unknown>) => {
			const started = await viewer.json<GenerationStarted>('POST', '/api/generations', { modelId: scripted.id, messages, sampling: { ...greedy, max_new_tokens: 8, ...sampling } });
			expect(started.status, JSON.stringify(started.body)).toBe(202);
			const events = await follow(viewer, started.body);
			return events[events.length - 1].data as GenerationResult;
		};
		expect(await answer({})).toMatchObject({ text: 'ab', finishReason: 'stop', usage: { completion_tokens: 2 } });
		expect(await answer({ ignore_eos: true })).toMatchObject({ text: 'abccccc', finishReason: 'length', usage: { completion_tokens: 8 } });
		// A stop string still ends it.
		expect(await answer({ ignore_eos: true, stop: ['cc'] })).toMatchObject({ text: 'ab', finishReason: 'stop' });
		const refused = await viewer.json<{ error: { message: string } }>('POST', '/api/generations', { modelId: scripted.id, messages, sampling: { ignore_eos: 'yes' } });
		expect(refused.status).toBe(400);
		expect(refused.body.error.message).toMatch(/ignore_eos/);
	});

	it('cancels mid-generation: the stream ends cancelled and the next request is served', async () => {
		// An answer of 4096 tokens takes seconds (ignore_eos, a long context), so the cancel sent on
		// the first token always lands while it runs.
		const long = await importModel('long context', saveLongContextModel);
		const started = await viewer.json<GenerationStarted>('POST', '/api/generations', {
			modelId: long.id,
			messages: [{ role: 'user', content: 'Count.' }],
			sampling: { temperature: 0, max_new_tokens: 4096, ignore_eos: true, stop: [] }
		});
		expect(started.status).toBe(202);
		let cancelled = false;
		const events = await follow(viewer, started.body, () => {
			if (cancelled) return;
			cancelled = true;
			void viewer.json('DELETE', `/api/generations/${started.body.id}`).then((r) => expect(r.status).toBe(200));
		});
		const end = events[events.length - 1];
		expect(end.type).toBe('done');
		expect((end.data as GenerationResult).finishReason).toBe('cancelled');
		expect((end.data as GenerationResult).usage.completion_tokens).toBeLessThan(4096);
		// A stopped answer still reports its prompt, told with the first token.
		expect((end.data as GenerationResult).usage.prompt_tokens).toBe(renderPrompt([{ role: 'user', content: 'Count.' }]).inputIds.length);
		const other = await admin.json('DELETE', `/api/generations/${started.body.id}`);
		expect(other.status).toBe(409);
	});

	it('refuses a bad attachment with 400 naming it, and a preset with 400', async () => {
		const form = new FormData();
		form.append('files', new Blob(['this is not a picture']), 'notes.png');
		form.append('files', new Blob([new Uint8Array(encodePng(createCanvas(16, 16, [200, 40, 40])))]), 'red.png');
		const upload = await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: admin.cookie, origin: server.url } });
		expect(upload.status).toBe(201);
		const { files } = (await upload.json()) as { files: { id: string }[] };
		const textOnly = await admin.json<{ error: { message: string } }>('POST', '/api/generations', {
			modelId: model.id,
			messages: [{ role: 'user', content: '<image> what is it?' }],
			media: [{ kind: 'image', uploadId: files[1].id }]
		});
		expect(textOnly.status).toBe(400);
		expect(textOnly.body.error.message).toMatch(/^Attachment 1 is an image; .* reads text only/);
		const bad = await admin.json<{ error: { message: string } }>('POST', '/api/generations', {
			modelId: model.id,
			messages: [{ role: 'user', content: '<image> what is it?' }],
			media: [{ kind: 'image', uploadId: files[0].id }]
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^Attachment 1 \(image/);
		const preset = await admin.json('POST', '/api/generations', { modelId: 'nano', messages: [{ role: 'user', content: 'hi' }] });
		expect(preset.status).toBe(400);
		const unknown = await admin.json('POST', '/api/generations', { modelId: 'nope', messages: [{ role: 'user', content: 'hi' }] });
		expect(unknown.status).toBe(404);
	});
});
