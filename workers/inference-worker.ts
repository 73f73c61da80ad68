/**
 * Inference worker: one lane of the serving slot (server/inference/inferenceLanes.ts), beside the
 * slot's job worker, so chat answers while a run trains. Holds onnxruntime sessions of exported models
 * (LoadedModels, an LRU bounded by MB), prefills each request on its own, then decodes every active
 * stream of one model together, one batched decoder run per step. A cancelled stream leaves the batch
 * at the next step.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decoderStep, emptyKv, type KvState } from '../src/lib/engine/export/runtime';
import type { FinishReason } from '../src/lib/shared/inference';
import type { InferenceCommand, InferenceWorkerData } from '../src/lib/shared/inferenceProtocol';
import { AnswerTokens } from './inference/answerTokens';
import { DecodeBatch } from './inference/batchStep';
import { cudaAvailable, LoadedModels, type LoadedModel } from './inference/loadedModels';
import { Outbox } from './inference/outbox';
import { buildPrompt, RequestError } from './inference/prompt';
import { Sampler } from './inference/sampler';

if (!parentPort) throw new Error('inference-worker must run as a worker thread');
const port = parentPort;
const { slotId, maxSessionMb } = workerData as InferenceWorkerData;
/** Most streams one decoder run carries. */
const MAX_BATCH = 16;

interface Stream {
	id: string;
	model: LoadedModel;
	sampler: Sampler;
	/** The answer's text and count, and when it ends. */
	answer: AnswerTokens;
	/** Its own cache while it is in no batch; a batch holds it meanwhile. */
	kv: KvState;
	/** Tokens in its cache. */
	length: number;
	next: number;
	promptTokens: number;
}

const active = new Map<string, Stream>();
/** Whether a stream joined or left since the batches were last formed. */
let membershipChanged = false;

function join(s: Stream): void {
	active.set(s.id, s);
	membershipChanged = true;
}

function leave(id: string): boolean {
	const left = active.delete(id);
	membershipChanged ||= left;
	return left;
}

const cancelled = new Set<string>();
const outbox = new Outbox((message) => port.postMessage(message));
const models = new LoadedModels(
	maxSessionMb * 1024 * 1024,
	slotId.startsWith('cuda') && cudaAvailable() ? 'cuda' : 'cpu',
	(key) => [...active.values()].some((s) => s.model.key === key),
	(reason) => {
		console.warn(`[inference] ${slotId}: CUDA sessions failed (${reason}); serving on the CPU.`);
		outbox.post({ type: 'ready', provider: 'cpu' });
	}
);


function finish(s: Stream, reason: FinishReason): void {
	leave(s.id);
	const rest = s.answer.flush();
	if (rest) outbox.post({ type: 'delta', id: s.id, text: rest, token: false });
	const { text, completion } = s.answer;
	outbox.post({ type: 'done', id: s.id, result: { text, finishReason: reason, usage: { prompt_tokens: s.promptTokens, completion_tokens: completion }, timings: { ttftMs: 0, totalMs: 0, tokensPerS: 0 } } });
}

/** Takes the chosen token: streams its text, or ends the stream. Returns whether it goes on. */
function accept(s: Stream, token: number): boolean {
	const step = s.answer.take(token, s.length);
	if (step.counted) outbox.post({ type: 'delta', id: s.id, text: step.text, token: true, ...(s.answer.completion === 1 && { promptTokens: s.promptTokens }) });
	if (step.end) {
		finish(s, step.end);
		return false;
	}
	s.next = token;
	return true;
}

function fail(id: string, error: unknown): void {
	leave(id);
	const request = error instanceof RequestError;
	outbox.post({ type: 'error', id, code: request ? 'invalid_request' : 'internal', message: error instanceof Error ? error.message : String(error) });
}

async function start(command: Extract<InferenceCommand, { type: 'generate' }>): Promise<void> {
	try {
		const model = await models.get(command.exportDir, command.precision);
		const prompt = await buildPrompt(model, command.messages, command.media);
		if (cancelled.delete(command.id)) return;
		const out = await decoderStep(model.sessions.decoder, model.llm, prompt.embeds, 1, emptyKv(model.llm, 1));
		if (cancelled.delete(command.id)) return;
		const vocab = model.llm.vocab_size;
		const s: Stream = {
			id: command.id,
			model,
			sampler: new Sampler(command.sampling, prompt.ids),
			answer: new AnswerTokens(command.sampling, model.llm.max_position_embeddings),
			kv: out.kv,
			length: prompt.ids.length,
			next: 0,
			promptTokens: prompt.ids.length
		};
		join(s);
		if (accept(s, s.sampler.next(out.logits.subarray(out.logits.length - vocab)))) void pump();
	} catch (error) {
		fail(command.id, error);
	}
}

let pumping = false;

interface Group {
	batch: DecodeBatch;
	streams: Stream[];
}

/** The batches decoding now, by model and chunk; kept from step to step while their streams stay. */
let groups = new Map<string, Group>();

/** Streams of each model in chunks of up to MAX_BATCH, keyed by model and chunk. */
function chunks(): Map<string, Stream[]> {
	const byModel = new Map<LoadedModel, Stream[]>();
	for (const s of active.values()) byModel.set(s.model, [...(byModel.get(s.model) ?? []), s]);
	const out = new Map<string, Stream[]>();
	for (const [model, streams] of byModel) for (let i = 0; i < streams.length; i += MAX_BATCH) out.set(`${model.key}#${i}`, streams.slice(i, i + MAX_BATCH));
	return out;
}

/** Regroups when streams joined or left: rows still decoding take their caches back first. */
function regroup(): void {
	if (!membershipChanged) return;
	membershipChanged = false;
	const wanted = chunks();
	const next = new Map<string, Group>();
	const unchanged = (a: Stream[], b: Stream[]) => a.length === b.length && a.every((s, i) => s === b[i]);
	for (const [key, group] of groups) {
		if (unchanged(group.streams, wanted.get(key) ?? [])) next.set(key, group);
		else group.streams.forEach((s, b) => active.has(s.id) && (s.kv = group.batch.split(b)));
	}
	for (const [key, streams] of wanted) {
		if (!next.has(key)) next.set(key, { batch: DecodeBatch.of(streams[0].model.llm, streams.map((s) => s.kv)), streams });
	}
	groups = next;
}

/** Decodes while any stream is active: one decoder run per batch per step. */
async function pump(): Promise<void> {
	if (pumping) return;
	pumping = true;
	try {
		while (active.size > 0) {
			regroup();
			for (const { batch, streams } of groups.values()) {
				const { embed, decoder } = streams[0].model.sessions;
				try {
					const logits = await batch.step(embed, decoder, streams.map((s) => s.next));
					streams.forEach((s, b) => {
						if (!active.has(s.id)) return;
						s.length = batch.length(b);
						accept(s, s.sampler.next(logits[b]));
					});
				} catch (error) {
					for (const s of streams) fail(s.id, error);
				}
			}
		}
	} finally {
		groups = new Map();
		membershipChanged = true;
		pumping = false;
	}
}

port.on('message', (command: InferenceCommand) => {
	if (command.type === 'generate') void start(command);
	else if (command.type === 'cancel') {
		if (!leave(command.id)) cancelled.add(command.id);
	}
});

outbox.post({ type: 'ready', provider: models.provider });
