import { randomBytes } from 'node:crypto';
import { samplingSchema, type SamplingInput } from '../../../shared/inference';
import type { ChatBackend, GenerationResult, SamplingRequest } from './backend';
import { toChatTurns } from './chatMessages';
import { completionBody, contentChunk, finishChunk, roleChunk, sseData, sseDone, usageChunk, type CompletionMeta } from './completionChunks';
import type { MediaValue } from './mediaValue';
import { OpenAIError } from './openaiError';
import { materialiseMedia, type LocateUpload } from './requestMedia';
import { chatCompletionRequestSchema, type ChatCompletionRequest } from './requestSchema';

export interface ChatCompletionDeps<User> {
	backend: ChatBackend<User>;
	user: User;
	locateUpload: LocateUpload;
	/** Largest decoded media item. */
	maxMediaBytes: number;
	/** Where each request's inline media get their folder (`apiMediaDir`). */
	tmpRoot?: string;
}

/**
 * OpenAI's and ms-swift's names onto the contract's sampling. What the request leaves out takes the
 * contract's defaults (ms-swift web-ui's), not OpenAI's: `temperature: 0` asks for greedy decoding.
 */
export function samplingOf(request: ChatCompletionRequest): SamplingRequest {
	const sampling: SamplingInput = {};
	const maxTokens = request.max_completion_tokens ?? request.max_tokens;
	if (maxTokens != null) sampling.max_new_tokens = maxTokens;
	if (request.temperature != null) sampling.temperature = request.temperature;
	if (request.top_p != null) sampling.top_p = request.top_p;
	// vLLM's -1 and ms-swift's 0 both mean "no top-k cut".
	if (request.top_k != null) sampling.top_k = Math.max(0, request.top_k);
	if (request.repetition_penalty != null) sampling.repetition_penalty = request.repetition_penalty;
	if (request.stop != null) sampling.stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
	if (request.seed != null) sampling.seed = request.seed;
	if (request.ignore_eos != null) sampling.ignore_eos = request.ignore_eos;
	const parsed = samplingSchema.safeParse(sampling);
	if (!parsed.success) throw OpenAIError.fromZod(parsed.error);
	return parsed.data;
}

export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
	const parsed = chatCompletionRequestSchema.safeParse(body);
	if (!parsed.success) throw OpenAIError.fromZod(parsed.error);
	return parsed.data;
}

/**
 * Answers one chat completion: validates, writes the inline media to the request's temp folder,
 * generates through the inference service, and answers with `chat.completion` JSON or an SSE
 * stream of `chat.completion.chunk`s. The stream's headers wait for the first token, so an error
 * before it (unknown media, overload) still arrives with its HTTP status. The temp folder goes
 * when the generation ends, however it ends.
 */
export async function chatCompletion<User>(body: unknown, signal: AbortSignal, deps: ChatCompletionDeps<User>): Promise<Response> {
	const request = parseChatCompletionRequest(body);
	const model = deps.backend.models().find((m) => m.id === request.model);
	if (!model || model.servable === false) {
		const why = model?.reason ? ` cannot answer: ${model.reason}` : ' does not exist or cannot answer';
		throw new OpenAIError(404, `The model "${request.model}"${why}. GET /api/v1/models lists those that can.`, 'model', 'model_not_found');
	}
	const sampling = samplingOf(request);
	const { turns, media: values } = toChatTurns(request, deps.maxMediaBytes);
	// Nothing below may throw before `generation` owns the temp folder and disposes of it.
	const media = await materialiseMedia(values, deps.locateUpload, deps.tmpRoot);
	const meta: CompletionMeta = { id: `chatcmpl-${randomBytes(12).toString('base64url')}`, created: Math.floor(Date.now() / 1000), model: request.model };
	const abort = new AbortController();
	const onAbort = () => abort.abort();
	signal.addEventListener('abort', onAbort, { once: true });

	const pending: string[] = [];
	let push: ((text: string) => void) | null = null;
	let started: () => void = () => {};
	const firstToken = new Promise<void>((resolve) => (started = resolve));
	const generation = deps.backend
		.generate({ modelId: request.model, messages: turns, media: media.media, sampling }, deps.user, {
			signal: abort.signal,
			onDelta: (text) => {
				if (push) push(text);
				else pending.push(text);
				started();
			}
		})
		.catch((error: unknown) => Promise.reject(withMediaParam(error, values)))
		.finally(() => {
			signal.removeEventListener('abort', onAbort);
			void media.dispose();
		});

	if (!request.stream) return Response.json(completionBody(meta, await generation));

	// Whatever comes first: a token (stream it) or the end (an error answers with its status).
	await Promise.race([firstToken, generation.then(() => undefined, () => undefined)]);
	if (pending.length === 0) await generation.catch((error: unknown) => Promise.reject(OpenAIError.from(error)));
	return streamResponse(meta, { includeUsage: request.stream_options?.include_usage === true }, pending, generation, abort, (fn) => (push = fn));
}

/**
 * The service names a bad attachment by its place in the media list ("Attachment 2", field
 * `media.1`); the client knows it by the part it sent, so the error names that part as `param`.
 */
export function withMediaParam(error: unknown, values: readonly MediaValue[]): OpenAIError {
	const openai = OpenAIError.from(error);
	const field = openai.param ? /^media\.(\d+)$/.exec(openai.param)?.[1] : undefined;
	const index = field !== undefined ? Number(field) : Number(/\battachment (\d+)\b/i.exec(openai.message)?.[1] ?? 0) - 1;
	const item = values[index];
	if (!item) return openai;
	return new OpenAIError(openai.status, `${item.param}: ${openai.message}`, item.param, openai.code, openai.headers);
}

function streamResponse(
	meta: CompletionMeta,
	options: { includeUsage: boolean },
	pending: string[],
	generation: Promise<GenerationResult>,
	abort: AbortController,
	subscribe: (push: (text: string) => void) => void
): Response {
	const encoder = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => controller.enqueue(encoder.encode(text));
			send(sseData(roleChunk(meta, options)));
			for (const text of pending.splice(0)) send(sseData(contentChunk(meta, options, text)));
			subscribe((text) => {
				if (!abort.signal.aborted) send(sseData(contentChunk(meta, options, text)));
			});
			generation.then(
				(result) => {
					if (abort.signal.aborted) return;
					send(sseData(finishChunk(meta, options, result)));
					if (options.includeUsage) send(sseData(usageChunk(meta, result)));
					send(sseDone);
					controller.close();
				},
				(error: unknown) => {
					if (abort.signal.aborted) return;
					// Headers are gone: the error travels as an event, as OpenAI's servers send it.
					send(sseData(OpenAIError.from(error).toBody()));
					send(sseDone);
					controller.close();
				}
			);
		},
		// The client went away: stop generating now and free the slot.
		cancel() {
			abort.abort();
		}
	});
	return new Response(stream, {
		headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }
	});
}
