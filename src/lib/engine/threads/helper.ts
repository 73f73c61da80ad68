// The loop a kernel helper thread runs: wait for a job in the control block, run its share of the
// kernel over the shared memory, report done. Spins briefly before sleeping, because waking a
// sleeping thread costs ~64 us while a spinning one sees the job in well under a microsecond.

import { compileKernels, instantiateKernels, KERNEL_NAMES } from '../kernels/module';
import {
	ACTIVE, ARGC_OFFSET, ARGS_OFFSET, CHUNK_ARGC, CHUNK_ARGS_OFFSET, CHUNKS, CONTROL_OFFSET, CONTROL_INTS, DONE, FAILED, GENERATION,
	KERNEL, MAX_ARGS, MAX_CHUNKS, MODE, MODE_CHUNKED, NEXT_CHUNK, SCRATCH_ARG, STOP, type HelperInit
} from './protocol';

const SPIN_ITERATIONS = 200_000;

export function runHelper(init: HelperInit, onReady: () => void): void {
	const { memory, tid } = init;
	const kernels = instantiateKernels(compileKernels().module, memory);
	const fns = KERNEL_NAMES.map((name) => (kernels as unknown as Record<string, (...a: number[]) => unknown>)[name] as (...a: number[]) => unknown);
	const control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
	const args = new Float64Array(memory.buffer, ARGS_OFFSET + tid * MAX_ARGS * 8, MAX_ARGS);
	const argc = new Float64Array(memory.buffer, ARGC_OFFSET, 64);
	const chunkArgs = new Float64Array(memory.buffer, CHUNK_ARGS_OFFSET, MAX_CHUNKS * MAX_ARGS);
	const own = new Float64Array(MAX_ARGS);
	let seen = Atomics.load(control, GENERATION);
	onReady();
	for (;;) {
		let gen = seen;
		for (let i = 0; i < SPIN_ITERATIONS && gen === seen; i++) gen = Atomics.load(control, GENERATION);
		if (gen === seen) {
			Atomics.wait(control, GENERATION, seen);
			continue;
		}
		seen = gen;
		if (Atomics.load(control, STOP) !== 0) return;
		if (tid >= Atomics.load(control, ACTIVE)) continue;
		try {
			const fn = fns[Atomics.load(control, KERNEL)];
			if (Atomics.load(control, MODE) === MODE_CHUNKED) claimChunks(fn, control, chunkArgs, own, init.scratch);
			else callKernel(fn, args, argc[tid]);
		} catch {
			Atomics.store(control, FAILED, 1);
		}
		Atomics.add(control, DONE, 1);
		// Wakes the main thread if it stopped spinning and sleeps on the counter.
		Atomics.notify(control, DONE);
	}
}

/**
 * Claims chunks of the current job until none are left. `own` is this thread's copy of one chunk's
 * arguments, with its scratch pointer patched in. Shared by helpers and the main thread.
 */
export function claimChunks(fn: (...a: number[]) => unknown, control: Int32Array, chunkArgs: Float64Array, own: Float64Array, scratch: number): void {
	const count = Atomics.load(control, CHUNKS);
	const n = Atomics.load(control, CHUNK_ARGC);
	const scratchArg = Atomics.load(control, SCRATCH_ARG);
	for (;;) {
		const chunk = Atomics.add(control, NEXT_CHUNK, 1);
		if (chunk >= count) return;
		own.set(chunkArgs.subarray(chunk * MAX_ARGS, chunk * MAX_ARGS + n));
		if (scratchArg >= 0) own[scratchArg] = scratch;
		callKernel(fn, own, n);
	}
}

/** Fixed-arity calls avoid building an array per job. */
export function callKernel(fn: (...a: number[]) => unknown, a: Float64Array | number[], n: number): void {
	switch (n) {
		case 4: fn(a[0], a[1], a[2], a[3]); break;
		case 5: fn(a[0], a[1], a[2], a[3], a[4]); break;
		case 6: fn(a[0], a[1], a[2], a[3], a[4], a[5]); break;
		case 7: fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); break;
		case 8: fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); break;
		default: fn(...Array.from(a).slice(0, n));
	}
}

