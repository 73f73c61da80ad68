import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import type { ChatTurn, GenerationResult, InferenceModel, MediaInput, Sampling } from '../../shared/inference';
import { HttpError } from '../http/httpError';
import type { ModelRegistry } from '../models/modelRegistry';
import { endpointIdOf, endpointModelId } from '../../shared/endpoints';
import type { EndpointEngine } from '../engines/openai/endpointEngine';
import type { EndpointService } from '../engines/openai/endpointService';
import { FairQueue } from './fairQueue';
import { GenerationClock } from './generationClock';
import type { InferenceLanes } from './inferenceLanes';
import type { ModelExports } from './modelExports';
import { PartialAnswerError } from './partialAnswer';

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

/** The registered OpenAI-compatible endpoints and the engine that talks to them. */
export interface EndpointEngines {
	endpoints: EndpointService;
	engine: EndpointEngine;
	/** Requests on endpoints at once, and waiting beyond those (their own queue: they use no local device). */
	limits: InferenceLimits;
}

/**
 * Chat generation for every caller (the chat page, the OpenAI-style API, evals): checks the model and
 * its media, waits its turn in a per-user round-robin queue, and streams the tokens back, from the
 * built-in engine (the model's ONNX export in the inference worker) or from a registered endpoint
 * (model id `endpoint:<id>`), with the same events, timings and usage either way. Cancelling resolves
 * at once with finishReason 'cancelled'.
 */
export class InferenceService {
	private readonly queue: FairQueue;
	private readonly endpointQueue: FairQueue;

	constructor(
		private readonly registry: ModelRegistry,
		private readonly exports: ModelExports,
		private readonly lanes: InferenceLanes,
		limits: InferenceLimits,
		private readonly endpoints: EndpointEngines
	) {
		this.queue = new FairQueue(limits.concurrent, limits.maxQueued);
		this.endpointQueue = new FairQueue(endpoints.limits.concurrent, endpoints.limits.maxQueued);
	}

	models(): InferenceModel[] {
		const provider = this.lanes.provider;
		const builtin = this.registry.list().map((m) => ({
			id: m.id,
			name: m.name,
			modalities: m.modalities,
			kind: m.kind,
			engine: 'builtin' as const,
			servable: m.kind !== 'preset' && m.engine === 'builtin',
			reason: m.kind === 'preset' ? 'A built-in preset has no trained weights: train it, then chat with its checkpoint.' : m.engine === 'swift' ? 'Trained by ms-swift: the built-in engine cannot load it.' : null,
			provider
		}));
		const endpoints = this.endpoints.endpoints.stored().map((e) => ({
			id: endpointModelId(e.id),
			name: e.name,
			modalities: e.modalities,
			kind: 'endpoint' as const,
			engine: 'endpoint' as const,
			servable: true,
			reason: null,
			provider: 'endpoint' as const
		}));
		return [...builtin, ...endpoints];
	}

	private check(request: GenerateRequest): void {
		const endpointId = endpointIdOf(request.modelId);
		if (endpointId !== null) {
			const endpoint = this.endpoints.endpoints.stored().find((e) => e.id === endpointId);
			if (!endpoint) throw new HttpError('not_found', `No endpoint "${endpointId}"; an admin may have removed it.`);
			this.endpoints.engine.check(endpoint, request);
			return;
		}
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
		const clock = new GenerationClock();
		const { signal } = callbacks;
		const cancelled = (): GenerationResult => ({
			text: '',
			finishReason: 'cancelled',
			usage: { prompt_tokens: 0, completion_tokens: 0 },
			timings: clock.timings(0)
		});
		if (signal?.aborted) return cancelled();
		const endpointId = endpointIdOf(request.modelId);
		let release: () => void;
		try {
			release = await (endpointId === null ? this.queue : this.endpointQueue).acquire(user.id, signal);
		} catch (error) {
			if (signal?.aborted) return cancelled();
			throw error;
		}
		// What has streamed, so an answer that fails midway still hands over the text the user saw.
		let streamed = '';
		let pieces = 0;
		const counted: GenerateCallbacks = {
			...callbacks,
			onDelta: (text) => {
				streamed += text;
				pieces++;
				callbacks.onDelta?.(text);
			}
		};
		try {
			if (endpointId !== null) {
				// Looked up again after the wait: an endpoint edited meanwhile answers with its new settings.
				return await this.endpoints.engine.generate(this.endpoints.endpoints.require(endpointId), request, counted, clock);
			}
			const exportDir = await this.exports.ensure(request.modelId, user.id);
			if (signal?.aborted) return cancelled();
			return await this.run(exportDir, request, counted, clock);
		} catch (error) {
			if (!streamed) throw error;
			throw new PartialAnswerError(error, { text: streamed, usage: { prompt_tokens: 0, completion_tokens: pieces }, timings: clock.timings(pieces) });
		} finally {
			release();
		}
	}

	private run(exportDir: string, request: GenerateRequest, callbacks: GenerateCallbacks, clock: GenerationClock): Promise<GenerationResult> {
		const id = randomUUID();
		let text = '';
		let completion = 0;
		let promptTokens = 0;
		return new Promise<GenerationResult>((resolve, reject) => {
			const onAbort = () => {
				this.lanes.cancel(id);
				resolve({ text, finishReason: 'cancelled', usage: { prompt_tokens: promptTokens, completion_tokens: completion }, timings: clock.timings(completion) });
			};
			callbacks.signal?.addEventListener('abort', onAbort, { once: true });
			this.lanes.generate({ type: 'generate', id, exportDir, precision: 'fp32', messages: request.messages, media: request.media, sampling: request.sampling }, (event) => {
				if (event.type === 'delta') {
					clock.token();
					if (event.token) completion++;
					if (event.promptTokens !== undefined) promptTokens = event.promptTokens;
					text += event.text;
					if (event.text) callbacks.onDelta?.(event.text);
					return;
				}
				callbacks.signal?.removeEventListener('abort', onAbort);
				if (event.type === 'done') {
					// An answer that ends at once (a stop token first) has its first token at the end.
					clock.token();
					resolve({ ...event.result, timings: clock.timings(event.result.usage.completion_tokens) });
				}
				else reject(new HttpError(event.code, event.code === 'invalid_request' ? event.message : `Generation failed: ${event.message}`));
			});
		});
	}

	async close(): Promise<void> {
		await this.lanes.close();
	}
}
