import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import type { ChatTurn, GenerationResult, InferenceModel, MediaInput, Sampling } from '../../shared/inference';
import { HttpError } from '../http/httpError';
import type { ModelRegistry } from '../models/modelRegistry';
import { FairQueue } from './fairQueue';
import type { InferenceThread } from './inferenceThread';
import type { ModelExports } from './modelExports';

export interface GenerateRequest {
	modelId: string;
	messages: ChatTurn[];
	media: MediaInput[];
	sampling: Sampling;
}

export interface GenerateCallbacks {
	onDelta?(text: string): void;
	signal?: AbortSignal;
}

export interface InferenceLimits {
	/** Generations decoding at once (they share batched decoder runs). */
	concurrent: number;
	/** Requests waiting beyond those; more answer 429. */
	maxQueued: number;
}

/**
 * Chat generation for every caller (the chat page, the OpenAI-style API, evals): checks the model and
 * its media, waits its turn in a per-user round-robin queue, makes sure the model's ONNX export exists,
 * and streams the worker's tokens back. Cancelling resolves at once with finishReason 'cancelled'.
 */
export class InferenceService {
	private readonly queue: FairQueue;

	constructor(
		private readonly registry: ModelRegistry,
		private readonly exports: ModelExports,
		private readonly thread: InferenceThread,
		limits: InferenceLimits
	) {
		this.queue = new FairQueue(limits.concurrent, limits.maxQueued);
	}

	models(): InferenceModel[] {
		const provider = this.thread.provider;
		return this.registry.list().map((m) => ({
			id: m.id,
			name: m.name,
			modalities: m.modalities,
			kind: m.kind,
			servable: m.kind !== 'preset' && m.engine === 'builtin',
			reason: m.kind === 'preset' ? 'A built-in preset has no trained weights: train it, then chat with its checkpoint.' : m.engine === 'swift' ? 'Trained by ms-swift: the built-in engine cannot load it.' : null,
			provider
		}));
	}

	private check(request: GenerateRequest): void {
		const resolved = this.registry.resolve(request.modelId);
		if (!resolved) throw new HttpError('not_found', `No model "${request.modelId}".`);
		if (resolved.kind === 'preset') throw new HttpError('invalid_request', `"${request.modelId}" is a built-in preset with no trained weights: train it, then chat with its checkpoint.`, { modelId: 'Not servable' });
		this.registry.requireBuiltin(resolved.model, 'chat with');
		const accepted = resolved.model.modalities;
		request.media.forEach((m, i) => {
			if (!accepted.includes(m.kind)) throw new HttpError('invalid_request', `Attachment ${i + 1} is ${m.kind === 'image' ? 'an' : 'a'} ${m.kind}; "${resolved.model.name}" reads ${accepted.join(', ')} only.`, { [`media.${i}`]: `This model does not read ${m.kind}` });
		});
	}

	async generate(request: GenerateRequest, user: SessionUser, callbacks: GenerateCallbacks = {}): Promise<GenerationResult> {
		this.check(request);
		const started = performance.now();
		const { signal } = callbacks;
		const cancelled = (): GenerationResult => ({
			text: '',
			finishReason: 'cancelled',
			usage: { prompt_tokens: 0, completion_tokens: 0 },
			timings: { ttftMs: 0, totalMs: performance.now() - started, tokensPerS: 0 }
		});
		if (signal?.aborted) return cancelled();
		let release: () => void;
		try {
			release = await this.queue.acquire(user.id, signal);
		} catch (error) {
			if (signal?.aborted) return cancelled();
			throw error;
		}
		try {
			const exportDir = await this.exports.ensure(request.modelId, user.id);
			if (signal?.aborted) return cancelled();
			return await this.run(exportDir, request, callbacks, started);
		} finally {
			release();
		}
	}

	private run(exportDir: string, request: GenerateRequest, callbacks: GenerateCallbacks, started: number): Promise<GenerationResult> {
		const id = randomUUID();
		let text = '';
		let completion = 0;
		let promptTokens = 0;
		let firstAt = 0;
		const timings = (tokens = completion) => {
			const now = performance.now();
			const decodeS = (now - (firstAt || now)) / 1000;
			// Tokens after the first over the time since it: the decode rate, apart from the prefill.
			return { ttftMs: firstAt ? firstAt - started : 0, totalMs: now - started, tokensPerS: decodeS > 0 && tokens > 1 ? (tokens - 1) / decodeS : 0 };
		};
		return new Promise<GenerationResult>((resolve, reject) => {
			const onAbort = () => {
				this.thread.cancel(id);
				resolve({ text, finishReason: 'cancelled', usage: { prompt_tokens: promptTokens, completion_tokens: completion }, timings: timings() });
			};
			callbacks.signal?.addEventListener('abort', onAbort, { once: true });
			this.thread.generate({ type: 'generate', id, exportDir, precision: 'fp32', messages: request.messages, media: request.media, sampling: request.sampling }, (event) => {
				if (event.type === 'delta') {
					if (!firstAt) firstAt = performance.now();
					if (event.token) completion++;
					if (event.promptTokens !== undefined) promptTokens = event.promptTokens;
					text += event.text;
					if (event.text) callbacks.onDelta?.(event.text);
					return;
				}
				callbacks.signal?.removeEventListener('abort', onAbort);
				if (event.type === 'done') {
					// An answer that ends at once (a stop token first) has its first token at the end.
					if (!firstAt) firstAt = performance.now();
					resolve({ ...event.result, timings: timings(event.result.usage.completion_tokens) });
				}
				else reject(new HttpError(event.code, event.code === 'invalid_request' ? event.message : `Generation failed: ${event.message}`));
			});
		});
	}

	async close(): Promise<void> {
		await this.thread.close();
	}
}
