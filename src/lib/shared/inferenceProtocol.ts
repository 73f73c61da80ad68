import type { ChatTurn, GenerationResult, MediaInput, Sampling } from './inference';

/**
 * Messages between the InferenceService and its inference worker thread (workers/inference-worker.ts).
 * Both ends are this program, so the shapes are types, not schemas.
 */
export type InferenceCommand =
	| {
			type: 'generate';
			id: string;
			/** The export folder (manifest.json and graphs) and which graphs to load. */
			exportDir: string;
			precision: 'fp32' | 'int8';
			messages: ChatTurn[];
			media: MediaInput[];
			sampling: Sampling;
	  }
	| { type: 'cancel'; id: string };

export type InferenceWorkerEvent =
	| { type: 'ready'; provider: 'cpu' | 'cuda' }
	/**
	 * `token`: the delta comes with a new token (false for text released at the end). The first token's
	 * delta carries `promptTokens`, so a generation stopped before its end still reports its prompt.
	 */
	| { type: 'delta'; id: string; text: string; token: boolean; promptTokens?: number }
	| { type: 'done'; id: string; result: GenerationResult }
	/** `invalid_request` for the request's own fault (bad media, prompt too long), `internal` otherwise. */
	| { type: 'error'; id: string; code: 'invalid_request' | 'internal'; message: string };

/**
 * What the worker posts: the events of one turn of its loop together (a decoding step's tokens for
 * every stream in the batch), one message instead of one per token per stream; while tokens come
 * faster than one per DELTA_INTERVAL_MS (workers/inference/outbox.ts), those of a few steps.
 */
export type InferenceWorkerMessage = InferenceWorkerEvent[];

export interface InferenceWorkerData {
	/** The device slot: `cpu` or `cuda:<n>`. */
	slotId: string;
	/** Upper bound on the graphs kept loaded, in MB. */
	maxSessionMb: number;
}
