import type { GenerationResult } from './backend';

/** The shapes of OpenAI's chat completion answers, built in one place for the JSON and SSE answers. */

export type FinishReason = 'stop' | 'length';

export interface Usage {
	prompt_tokens: number;
	completion_tokens: number;
	total_tokens: number;
}

export interface CompletionMeta {
	id: string;
	created: number;
	model: string;
}

/** A cancelled generation only reaches a client that left; if one did see it, it stopped early. */
export function finishReason(result: GenerationResult): FinishReason {
	return result.finishReason === 'length' ? 'length' : 'stop';
}

export function usageOf(result: GenerationResult): Usage {
	const { prompt_tokens, completion_tokens } = result.usage;
	return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

export function completionBody(meta: CompletionMeta, result: GenerationResult) {
	return {
		...meta,
		object: 'chat.completion' as const,
		choices: [{ index: 0, message: { role: 'assistant' as const, content: result.text }, logprobs: null, finish_reason: finishReason(result) }],
		usage: usageOf(result)
	};
}

export interface ChunkOptions {
	includeUsage: boolean;
}

function chunk(meta: CompletionMeta, options: ChunkOptions, choices: unknown[], usage?: Usage) {
	return {
		...meta,
		object: 'chat.completion.chunk' as const,
		choices,
		...(options.includeUsage ? { usage: usage ?? null } : {})
	};
}

/** The first chunk names the role; OpenAI sends it with empty content. */
export function roleChunk(meta: CompletionMeta, options: ChunkOptions) {
	return chunk(meta, options, [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
}

export function contentChunk(meta: CompletionMeta, options: ChunkOptions, content: string) {
	return chunk(meta, options, [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]);
}

export function finishChunk(meta: CompletionMeta, options: ChunkOptions, result: GenerationResult) {
	return chunk(meta, options, [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(result) }]);
}

/** Sent only with `stream_options.include_usage`: no choices, the usage of the whole answer. */
export function usageChunk(meta: CompletionMeta, result: GenerationResult) {
	return chunk(meta, { includeUsage: true }, [], usageOf(result));
}

/** One server-sent event. */
export function sseData(payload: unknown): string {
	return `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
}

export const sseDone = sseData('[DONE]');
