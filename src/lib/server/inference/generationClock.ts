import type { GenerationResult } from '../../shared/inference';

/**
 * The timings every engine reports the same way: time to the first token from the request's start
 * (queueing included), and the decode rate as tokens after the first over the time since it, apart
 * from the prefill.
 */
export class GenerationClock {
	readonly started = performance.now();
	private firstAt = 0;

	/** Marks the first token (later calls change nothing). */
	token(): void {
		if (!this.firstAt) this.firstAt = performance.now();
	}

	timings(tokens: number): GenerationResult['timings'] {
		const now = performance.now();
		const decodeS = (now - (this.firstAt || now)) / 1000;
		return { ttftMs: this.firstAt ? this.firstAt - this.started : 0, totalMs: now - this.started, tokensPerS: decodeS > 0 && tokens > 1 ? (tokens - 1) / decodeS : 0 };
	}
}
