import type { EvalLatency, EvalPercentiles } from '$lib/shared/eval';

/**
 * Latency statistics from per-request timings, with the definitions vLLM's and EvalScope's perf tools use:
 * TTFT is request start to first output token; time per output token (TPOT) is the decode time after the first
 * token spread over the remaining tokens, (latency - TTFT) / (output tokens - 1); a request's tokens/s is its
 * output tokens over its whole latency; throughput is all output tokens over the wall-clock span.
 */

export const PERCENTILE_CONVENTION = 'percentiles by linear interpolation between closest ranks (numpy default, Hyndman-Fan type 7)';
export const LATENCY_CONVENTION = `TTFT = start to first token; TPOT = (latency - TTFT) / (output tokens - 1); ${PERCENTILE_CONVENTION}; throughput = output tokens / wall-clock span`;

export interface RequestTiming {
	/** Request start to last token, in ms. */
	latencyMs: number;
	/** Request start to first token, in ms; null when the server did not stream. */
	ttftMs?: number | null;
	outputTokens: number;
	/** When the request started (ms since any fixed origin); with it, throughput uses the true wall-clock span. */
	startedAtMs?: number;
}

/**
 * The p-th percentile (0..100) of the values, by linear interpolation: the rank h = (n - 1) * p / 100 falls
 * between sorted values x[floor h] and x[floor h + 1] and the result lies between them in proportion.
 */
/**
 * The p-th percentile (0..100) of the values, by linear interpolation: the rank h = (n - 1) * p / 100 falls
 * between sorted values x[floor h] and x[floor h + 1] and the result lies between them in proportion.
 */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) throw new RangeError('a percentile needs at least one value');
	return percentileOfSorted([...values].sort((a, b) => a - b), p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
	if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
	const rank = ((sorted.length - 1) * p) / 100;
	const below = Math.floor(rank);
	const above = Math.min(below + 1, sorted.length - 1);
	return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}

/** Mean, extremes and p50/p90/p99 of at least one value. */
export function summarise(values: readonly number[]): EvalPercentiles {
	if (values.length === 0) throw new RangeError('a summary needs at least one value');
	const sorted = [...values].sort((a, b) => a - b);
	return {
		mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
		min: sorted[0],
		max: sorted[sorted.length - 1],
		p50: percentileOfSorted(sorted, 50),
		p90: percentileOfSorted(sorted, 90),
		p99: percentileOfSorted(sorted, 99)
	};
}

function checkTiming(timing: RequestTiming, index: number): void {
	const bad = (field: string, value: unknown) => new RangeError(`timing ${index}: ${field} must be a finite number >= 0, got ${String(value)}`);
	if (!Number.isFinite(timing.latencyMs) || timing.latencyMs < 0) throw bad('latencyMs', timing.latencyMs);
	if (!Number.isInteger(timing.outputTokens) || timing.outputTokens < 0) throw bad('outputTokens (an integer)', timing.outputTokens);
	const ttft = timing.ttftMs;
	if (ttft !== undefined && ttft !== null) {
		if (!Number.isFinite(ttft) || ttft < 0) throw bad('ttftMs', ttft);
		if (ttft > timing.latencyMs) throw new RangeError(`timing ${index}: ttftMs ${ttft} exceeds latencyMs ${timing.latencyMs}`);
	}
	if (timing.startedAtMs !== undefined && !Number.isFinite(timing.startedAtMs)) throw bad('startedAtMs', timing.startedAtMs);
}

/** Wall-clock span of the requests: first start to last end, or the sum of latencies when starts are unknown. */
function wallSpanMs(timings: readonly RequestTiming[]): number {
	if (timings.every((t) => t.startedAtMs !== undefined)) {
		// A loop, not Math.min(...spread), so tens of thousands of requests do not overflow the stack.
		let start = Infinity;
		let end = -Infinity;
		for (const t of timings) {
			start = Math.min(start, t.startedAtMs as number);
			end = Math.max(end, (t.startedAtMs as number) + t.latencyMs);
		}
		return end - start;
	}
	return timings.reduce((sum, t) => sum + t.latencyMs, 0);
}

export function latencyStats(timings: readonly RequestTiming[]): EvalLatency {
	if (timings.length === 0) throw new RangeError('latency statistics need at least one request');
	timings.forEach(checkTiming);
	const ttfts = timings.flatMap((t) => (t.ttftMs === undefined || t.ttftMs === null ? [] : [t.ttftMs]));
	const tpots = timings.flatMap((t) => (t.ttftMs === undefined || t.ttftMs === null || t.outputTokens < 2 ? [] : [(t.latencyMs - t.ttftMs) / (t.outputTokens - 1)]));
	const perRequest = timings.flatMap((t) => (t.latencyMs > 0 ? [(t.outputTokens * 1000) / t.latencyMs] : []));
	const outputTokens = timings.reduce((sum, t) => sum + t.outputTokens, 0);
	const span = wallSpanMs(timings);
	return {
		convention: LATENCY_CONVENTION,
		requests: timings.length,
		outputTokens,
		ttftMs: ttfts.length > 0 ? summarise(ttfts) : null,
		tpotMs: tpots.length > 0 ? summarise(tpots) : null,
		latencyMs: summarise(timings.map((t) => t.latencyMs)),
		requestTokensPerSecond: perRequest.length > 0 ? summarise(perRequest) : summarise([0]),
		outputTokensPerSecond: span > 0 ? (outputTokens * 1000) / span : 0
	};
}
