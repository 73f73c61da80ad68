import { HttpError } from '../../http/httpError';
import { endpointFetch, networkProblem, UpstreamError, type EndpointTarget, type EndpointTimeouts } from './endpointHttp';
import type { ChatRequestBody } from './requestBody';
import { SseDecoder } from './sseDecoder';

export interface StreamedAnswer {
	text: string;
	/** The server's reason as given (`stop`, `length`, ...); null when cancelled. */
	finishReason: string | null;
	/** The server's count where it sent one (the last `usage` seen: ms-swift sends it on every chunk). */
	usage: { prompt_tokens: number; completion_tokens: number } | null;
	/** Content pieces received: the token count where the server sends no usage. */
	pieces: number;
	cancelled: boolean;
}

interface Chunk {
	choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
	usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
	error?: { message?: string } | string;
}

/**
 * One streamed chat completion: posts the body with `stream: true`, reads the SSE chunks (split
 * anywhere, `usage` on any of them, a `choices: []` usage chunk, `data: [DONE]`) and hands each piece of
 * text to `onDelta`. A cancel resolves with what came so far; a timeout between chunks, a connection
 * that drops or a stream that ends before the answer does rejects with an error that says so and how
 * much had arrived.
 */
export async function streamChat(
	target: EndpointTarget,
	body: ChatRequestBody,
	timeouts: EndpointTimeouts,
	callbacks: { onDelta?(text: string): void; signal?: AbortSignal } = {}
): Promise<StreamedAnswer> {
	const answer: StreamedAnswer = { text: '', finishReason: null, usage: null, pieces: 0, cancelled: false };
	const { signal } = callbacks;
	const cancelled = () => ({ ...answer, cancelled: true });
	if (signal?.aborted) return cancelled();
	let opened: Awaited<ReturnType<typeof endpointFetch>>;
	try {
		opened = await endpointFetch(target, '/v1/chat/completions', { method: 'POST', body: { ...body, stream: true, stream_options: { include_usage: true } }, signal }, timeouts);
	} catch (error) {
		if (signal?.aborted) return cancelled();
		throw error;
	}
	const { response, controller } = opened;
	if (!response.body) throw new HttpError('bad_gateway', `Endpoint "${target.name}" sent an empty answer.`);
	const onCancel = () => controller.abort();
	signal?.addEventListener('abort', onCancel, { once: true });
	let idle = false;
	let timer: NodeJS.Timeout | undefined;
	const arm = () => {
		clearTimeout(timer);
		timer = setTimeout(() => {
			idle = true;
			controller.abort();
		}, timeouts.idleTimeoutMs);
	};
	const decoder = new SseDecoder();
	let done = false;
	const take = (data: string) => {
		if (data === '[DONE]') {
			done = true;
			return;
		}
		let chunk: Chunk;
		try {
			chunk = JSON.parse(data) as Chunk;
		} catch {
			throw new HttpError('bad_gateway', `Endpoint "${target.name}" sent a chunk that is not JSON: ${data.slice(0, 200)}`);
		}
		if (chunk.error) throw new HttpError('bad_gateway', `Endpoint "${target.name}" reported an error mid-answer: ${typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error))}`);
		if (chunk.usage && typeof chunk.usage.completion_tokens === 'number') answer.usage = { prompt_tokens: chunk.usage.prompt_tokens ?? 0, completion_tokens: chunk.usage.completion_tokens };
		const choice = chunk.choices?.[0];
		if (!choice) return;
		const piece = choice.delta?.content;
		if (piece) {
			answer.text += piece;
			answer.pieces++;
			callbacks.onDelta?.(piece);
		}
		if (choice.finish_reason) answer.finishReason = choice.finish_reason;
	};
	const brokeOff = (why: string) =>
		new UpstreamError(idle ? 'gateway_timeout' : 'bad_gateway', `The answer from endpoint "${target.name}" broke off ${answer.text ? `after ${answer.text.length} characters (the partial answer is kept, marked incomplete)` : 'before any text'}: ${why}.`);
	try {
		arm();
		const reader = response.body.getReader();
		for (;;) {
			let read: ReadableStreamReadResult<Uint8Array>;
			try {
				read = await reader.read();
			} catch (error) {
				if (signal?.aborted) return cancelled();
				if (idle) throw brokeOff(`nothing arrived for ${(timeouts.idleTimeoutMs / 1000).toFixed(1)} s`);
				throw brokeOff(networkProblem(error));
			}
			if (read.done) break;
			arm();
			for (const data of decoder.push(read.value)) {
				take(data);
				if (done) break;
			}
			if (done) {
				await reader.cancel().catch(() => undefined);
				break;
			}
		}
		if (!done) for (const data of decoder.end()) take(data);
		// Servers that end the body after the last chunk without `[DONE]` still said how it finished.
		if (!done && answer.finishReason === null) throw brokeOff('the stream ended before the server said the answer was complete');
		return answer;
	} finally {
		clearTimeout(timer);
		signal?.removeEventListener('abort', onCancel);
	}
}
