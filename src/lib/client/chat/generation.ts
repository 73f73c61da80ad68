import { api } from '$lib/client/api';
import type { RealtimeConnection } from '$lib/client/realtimeContext';
import type { GenerationEvent, GenerationRequest, GenerationResult, GenerationStarted, PartialAnswer } from '$lib/shared/inference';

/** A generation's failure, with the answer it had streamed before it when there was one. */
export class GenerationError extends Error {
	constructor(
		message: string,
		readonly partial: PartialAnswer | null
	) {
		super(message);
	}
}

export interface RunningGeneration {
	/** Resolves with the engine's result (finishReason 'cancelled' after stop); rejects with a GenerationError. */
	done: Promise<GenerationResult>;
	stop(): void;
}

/**
 * Starts a generation and follows its token stream over the tab's one socket. `onDelta` gets each
 * piece of text as the engine produces it. Stop asks the server to end the generation in the worker.
 */
export async function startGeneration(realtime: RealtimeConnection, request: GenerationRequest, onDelta: (text: string) => void): Promise<RunningGeneration> {
	const started = await api<GenerationStarted>('/api/generations', { body: request });
	let unfollow = () => {};
	const done = new Promise<GenerationResult>((resolve, reject) => {
		unfollow = realtime.follow(
			started.stream,
			(event) => {
				const generation = event as unknown as GenerationEvent;
				if (generation.type === 'delta') onDelta(generation.data.text);
				else if (generation.type === 'done') resolve(generation.data);
				else if (generation.type === 'error') reject(new GenerationError(generation.data.message, generation.data.partial ?? null));
			},
			// From the start: the first tokens may come before the subscription is answered.
			0
		);
	});
	void done.finally(() => unfollow()).catch(() => undefined);
	return {
		done,
		stop: () => void api(`/api/generations/${started.id}`, { method: 'DELETE' }).catch(() => undefined)
	};
}
