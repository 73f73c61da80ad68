// Splitting one kernel call across the engine's threads. Small work stays on this thread: a job
// round trip costs a few microseconds, so only work well above that is split.

import type { KernelName } from './module';
import { engine } from '../tensor/runtime';
import { splitRange } from '../threads/pool';

/** Elements below which element-wise kernels are not split. */
export const SPLIT_MIN_ELEMENTS = 1 << 16;

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
