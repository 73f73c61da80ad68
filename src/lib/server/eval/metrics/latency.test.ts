import { describe, expect, it } from 'vitest';
import { latencyStats, percentile } from './latency';

describe('percentile (linear interpolation, numpy default)', () => {
	it('interpolates between closest ranks', () => {
		// [500, 1000, 1500, 2000]: p50 rank 1.5 -> 1000 + 0.5 * 500 = 1250; p90 rank 2.7 -> 1500 + 0.7 * 500 = 1850;
		// p99 rank 2.97 -> 1985; p0 and p100 are the extremes.
		const values = [2000, 500, 1500, 1000];
		expect(percentile(values, 50)).toBe(1250);
		expect(percentile(values, 90)).toBeCloseTo(1850, 9);
		expect(percentile(values, 99)).toBeCloseTo(1985, 9);
		expect(percentile(values, 0)).toBe(500);
		expect(percentile(values, 100)).toBe(2000);
		expect(percentile([7], 90)).toBe(7);
		expect(() => percentile([], 50)).toThrow(/at least one value/);
		expect(() => percentile([1], 101)).toThrow(/0..100/);
	});
});

describe('latency statistics', () => {
	// Four requests (latency, TTFT, output tokens, start):
	//   r1 1000 ms, 100, 10, 0    -> TPOT 900/9 = 100, 10 tok/s
	//   r2 2000 ms, 200, 21, 500  -> TPOT 1800/20 = 90, 10.5 tok/s
	//   r3  500 ms,  50,  1, 1000 -> no TPOT (one token), 2 tok/s
	//   r4 1500 ms, 300, 13, 1500 -> TPOT 1200/12 = 100, 8.667 tok/s
	const timings = [
		{ latencyMs: 1000, ttftMs: 100, outputTokens: 10, startedAtMs: 0 },
		{ latencyMs: 2000, ttftMs: 200, outputTokens: 21, startedAtMs: 500 },
		{ latencyMs: 500, ttftMs: 50, outputTokens: 1, startedAtMs: 1000 },
		{ latencyMs: 1500, ttftMs: 300, outputTokens: 13, startedAtMs: 1500 }
	];

	it('computes TTFT, TPOT, latency percentiles and throughput', () => {
		const stats = latencyStats(timings);
		expect(stats.requests).toBe(4);
		expect(stats.outputTokens).toBe(45);
		// TTFT [50, 100, 200, 300]: p50 = 150, p90 = 200 + 0.7 * 100 = 270, mean 162.5.
		expect(stats.ttftMs).toMatchObject({ p50: 150, mean: 162.5, min: 50, max: 300 });
		expect(stats.ttftMs?.p90).toBeCloseTo(270, 9);
		// TPOT [90, 100, 100]: mean 96.667, p50 100.
		expect(stats.tpotMs?.mean).toBeCloseTo(290 / 3, 9);
		expect(stats.tpotMs?.p50).toBe(100);
		expect(stats.latencyMs).toMatchObject({ p50: 1250, mean: 1250 });
		expect(stats.requestTokensPerSecond.p50).toBeCloseTo(9.3333, 4); // [2, 8.667, 10, 10.5] -> (8.667 + 10) / 2
		// Wall span: first start 0 to last end max(1000, 2500, 1500, 3000) = 3000 ms -> 45 tokens / 3 s = 15.
		expect(stats.outputTokensPerSecond).toBe(15);
	});

	it('treats requests without start times as one after another', () => {
		// Sum of latencies 5000 ms -> 45 / 5 = 9 tokens/s.
		expect(latencyStats(timings.map(({ startedAtMs: _, ...rest }) => rest)).outputTokensPerSecond).toBe(9);
	});

	it('leaves TTFT and TPOT out without streaming, and names bad timings', () => {
		const stats = latencyStats([{ latencyMs: 400, outputTokens: 8 }]);
		expect(stats.ttftMs).toBeNull();
		expect(stats.tpotMs).toBeNull();
		expect(stats.outputTokensPerSecond).toBe(20);
		expect(() => latencyStats([{ latencyMs: 10, ttftMs: 20, outputTokens: 1 }])).toThrow('timing 0: ttftMs 20 exceeds latencyMs 10');
		expect(() => latencyStats([{ latencyMs: -1, outputTokens: 1 }])).toThrow(/timing 0: latencyMs/);
		expect(() => latencyStats([])).toThrow(/at least one request/);
	});
});
