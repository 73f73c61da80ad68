// Splitting one kernel call across the engine's threads. Small work stays on this thread: a job
// round trip costs a few microseconds, so only work well above that is split.

import type { KernelName } from './module';
import { engine } from '../tensor/runtime';
import { splitRange } from '../threads/pool';
import { MAX_CHUNKS } from '../threads/protocol';

/** Elements below which element-wise kernels are not split. */
export const SPLIT_MIN_ELEMENTS = 1 << 16;

/**
 * Runs `name` over [0, total) in chunks claimed dynamically by the threads (see MODE_CHUNKED), for
 * work that is uneven (causal attention rows grow with t) or long enough that a paused thread
 * matters. args(lo, hi) builds a chunk's arguments; its argument `scratchArg` is replaced by the
 * running thread's scratch (-1: none).
 */
export function runChunks(name: KernelName, total: number, work: number, chunksPerThread: number, scratchArg: number, args: (lo: number, hi: number) => number[]): void {
	const e = engine();
	const parts = work >= SPLIT_MIN_ELEMENTS ? Math.min(MAX_CHUNKS, e.threads * chunksPerThread) : 1;
	const ranges = splitRange(total, parts, 1);
	if (ranges.length === 0) return;
	e.runChunked(name, ranges.map(([lo, hi]) => args(lo, hi)), scratchArg);
}

/**
 * Runs `name` over [0, total) in up to `threads` parts (boundaries multiples of align).
 * args(lo, hi, tid) builds one part's argument list.
 */
export function runSplit(name: KernelName, total: number, work: number, align: number, args: (lo: number, hi: number, tid: number) => number[]): void {
	const e = engine();
	const parts = work >= SPLIT_MIN_ELEMENTS ? e.threads : 1;
	const ranges = splitRange(total, parts, align);
	if (ranges.length === 0) return;
	e.run(name, ranges.map(([lo, hi], tid) => args(lo, hi, tid)));
}
