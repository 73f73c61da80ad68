import { z } from 'zod';
import type { InferenceEngine } from './endpoints';
import type { Modality, ModelKind } from './models';

/**
 * The inference contract shared by the server, the chat page and the OpenAI-style API: sampling with
 * ms-swift's names (defaults as its web-ui, except max_new_tokens, lower for the built-in models),
 * chat turns whose media tags (<image>/<audio>/<video>) take the media items of that kind in order,
 * and what a finished generation reports.
 */
export const samplingSchema = z.object({
	max_new_tokens: z.number().int().min(1).max(4096).default(256),
	temperature: z.number().min(0).max(10).default(0.3),
	top_k: z.number().int().min(0).max(100_000).default(20),
	top_p: z.number().gt(0).max(1).default(0.7),
	repetition_penalty: z.number().gt(0).max(10).default(1.05),
	stop: z.array(z.string().min(1).max(200)).max(16).default([]),
	/** vLLM's option: the end-of-turn tokens do not end the answer, so it runs to max_new_tokens (or the context). */
	ignore_eos: z.boolean().default(false),
	seed: z.number().int().min(0).max(2 ** 32 - 1).optional()
});
export type Sampling = z.infer<typeof samplingSchema>;
export type SamplingInput = z.input<typeof samplingSchema>;

export const chatTurnSchema = z.object({
	role: z.enum(['system', 'user', 'assistant']),
	content: z.string().max(1_000_000)
});
export type ChatTurn = z.infer<typeof chatTurnSchema>;

export const mediaKinds = ['image', 'audio', 'video'] as const;
export type MediaKindName = (typeof mediaKinds)[number];

/** An absolute server path the SERVER resolved (an upload, a temp file, a dataset's media); never a client path. */
export interface MediaInput {
	kind: MediaKindName;
	file: string;
}

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface GenerationResult {
	text: string;
	finishReason: FinishReason;
	usage: { prompt_tokens: number; completion_tokens: number };
	timings: { ttftMs: number; totalMs: number; tokensPerS: number };
}

/** A model that can answer, as `InferenceService.models()` lists it. */
export interface InferenceModel {
	id: string;
	name: string;
	modalities: Modality[];
	/** The registry kind of a built-in model; `endpoint` for a registered endpoint. */
	kind: ModelKind | 'endpoint';
	engine: InferenceEngine;
	/** False for presets (no trained weights); `reason` says why. */
	servable: boolean;
	reason: string | null;
	/** Where its sessions run: onnxruntime's execution provider, or the endpoint's own server. */
	provider: 'cpu' | 'cuda' | 'endpoint';
}

/** The body of `POST /api/generations` (the chat page): media are ids returned by `POST /api/uploads`. */
export const generationRequestSchema = z.object({
	modelId: z.string().trim().min(1).max(100),
	messages: z.array(chatTurnSchema).min(1).max(500),
	media: z.array(z.object({ kind: z.enum(mediaKinds), uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/).max(100) })).max(32).default([]),
	sampling: samplingSchema.prefault({})
});
export type GenerationRequest = z.input<typeof generationRequestSchema>;

/** Answer of `POST /api/generations`: subscribe to `stream` for the tokens. */
export interface GenerationStarted {
	id: string;
	stream: string;
}

export const generationStreamKind = 'gen';
export function generationStream(id: string): string {
	return `${generationStream.kind}:${id}`;
}
generationStream.kind = generationStreamKind;

/** What an answer had produced when an error cut it off: its text, the pieces counted so far, its timings. */
export type PartialAnswer = Omit<GenerationResult, 'finishReason'>;

/**
 * Events on `gen:<id>`: `delta` {text} as tokens arrive, then exactly one of `done` (GenerationResult)
 * or `error` {code, message}, with `partial` when text had already streamed.
 */
export type GenerationEvent =
	| { type: 'delta'; data: { text: string } }
	| { type: 'done'; data: GenerationResult }
	| { type: 'error'; data: { code: string; message: string; partial?: PartialAnswer } };

/** An export of a model to ONNX, as the Models page lists it. */
export interface ModelExportInfo {
	modelId: string;
	fingerprint: string;
	precisions: ('fp32' | 'int8')[];
	/** Bytes a server loads per precision. */
	totals: Partial<Record<'fp32' | 'int8', number>>;
	sizeBytes: number;
	int8MaxLogitError: number | null;
	createdAt: number;
}

export const exportJobKind = 'export';
export const exportJobPayloadSchema = z.object({ modelId: z.string(), modelDir: z.string(), outDir: z.string() });
export type ExportJobPayload = z.infer<typeof exportJobPayloadSchema>;
