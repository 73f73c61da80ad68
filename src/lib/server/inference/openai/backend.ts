/**
 * What the OpenAI layer needs from the inference service (`app.inference`), in the inference
 * contract's own types. Kept here as the one seam between the two, so the layer and its tests load
 * without the engine and a test can hand in a real service or a recorder of what it was asked.
 */
export interface ChatTurn {
	role: 'system' | 'user' | 'assistant';
	/** Media tags <image>/<audio>/<video> in the text; the n-th tag of a kind is the n-th MediaInput of that kind. */
	content: string;
}

export type MediaKind = 'image' | 'audio' | 'video';

/** An absolute server path the server resolved itself: never a client-given path. */
export interface MediaInput {
	kind: MediaKind;
	file: string;
}

/** ms-swift's sampling names; what the request leaves out the service fills with its defaults. */
export interface SamplingRequest {
	max_new_tokens?: number;
	temperature?: number;
	top_k?: number;
	top_p?: number;
	repetition_penalty?: number;
	stop?: string[];
	seed?: number;
}

export interface GenerationResult {
	text: string;
	finishReason: 'stop' | 'length' | 'cancelled';
	usage: { prompt_tokens: number; completion_tokens: number };
	timings: { ttftMs: number; totalMs: number; tokensPerS: number };
}

export interface ServedModel {
	id: string;
	name: string;
	modalities: readonly string[];
	kind: string;
}

export interface ChatBackend<User> {
	generate(
		request: { modelId: string; messages: ChatTurn[]; media: MediaInput[]; sampling: SamplingRequest },
		user: User,
		callbacks: { onDelta?(text: string): void; signal?: AbortSignal }
	): Promise<GenerationResult>;
	models(): ServedModel[];
}
