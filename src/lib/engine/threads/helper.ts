// The loop a kernel helper thread runs: wait for a job in the control block, claim and run its chunks
// over the shared memory, repeat. Spins briefly before sleeping, because waking a sleeping thread
// costs ~64 us while a spinning one sees the job in well under a microsecond.

import { compileKernels, instantiateKernels, KERNEL_NAMES } from '../kernels/module';
import {
	CHUNK_ARGC, CHUNK_ARGS_OFFSET, CHUNKS, CLAIM, CLAIM_INDEX_BITS, CLAIM_TAG_MASK, CONTROL_INTS, CONTROL_OFFSET, FAILED, FINISHED,
	GENERATION, KERNEL, MAX_ARGS, MAX_CHUNKS, SCRATCH_ARG, STOP, type HelperInit
} from './protocol';

const SPIN_ITERATIONS = 200_000;

type KernelFn = (...a: number[]) => unknown;

export function runHelper(init: HelperInit, onReady: () => void): void {
	const { memory } = init;
	const kernels = instantiateKernels(compileKernels().module, memory);
	const fns = KERNEL_NAMES.map((name) => (kernels as unknown as Record<string, KernelFn>)[name]);
	const control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
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
		claimChunks(fns[Atomics.load(control, KERNEL)], gen, control, chunkArgs, own, init.scratch);
	}
}

/** A claim word no thread can claim from: its index is past any job's last chunk. */
export const CLAIM_CLOSED = (1 << CLAIM_INDEX_BITS) - 1;

/**
 * Main thread, first half of publishing a job: closes the claim word, then writes the job's kernel,
 * chunk arguments and counters (the previous job has finished). The claim word must close first:
 * a helper that woke late for the previous job reads the chunk count and then the claim word, and
 * that word, still carrying the previous job's tag with its index at the previous count, would
 * otherwise let it claim a chunk of this job's larger count, run it beside the thread that claims
 * it properly (accumulating kernels add twice) and count it finished a second time, so the job
 * could end while a chunk was still being written.
 */
export function describeJob(control: Int32Array, chunkArgs: Float64Array, kernel: number, chunks: readonly (readonly number[])[], scratchArg: number): void {
	Atomics.store(control, CLAIM, CLAIM_CLOSED);
	for (let i = 0; i < chunks.length; i++) chunkArgs.set(chunks[i], i * MAX_ARGS);
	Atomics.store(control, KERNEL, kernel);
	Atomics.store(control, CHUNKS, chunks.length);
	Atomics.store(control, CHUNK_ARGC, chunks.length > 0 ? chunks[0].length : 0);
	Atomics.store(control, SCRATCH_ARG, scratchArg);
	Atomics.store(control, FINISHED, 0);
	Atomics.store(control, FAILED, 0);
}

/** Main thread, second half: opens job `gen` for claiming and wakes the sleeping helpers. */
export function openJob(control: Int32Array, gen: number): void {
	Atomics.store(control, CLAIM, (gen & CLAIM_TAG_MASK) << CLAIM_INDEX_BITS);
	Atomics.store(control, GENERATION, gen);
	Atomics.notify(control, GENERATION);
}

/**
 * Claims and runs chunks of job `gen` until none are left or the job is over. The description read
 * here belongs to `gen` whenever a claim succeeds: the main thread publishes it (describeJob, which
 * closes the claim word before writing anything) before bumping the generation, and rewrites it only
 * after every chunk of the job has finished. `own` is this thread's copy of a chunk's arguments, with
 * its scratch patched in. Shared by helpers and the main thread.
 */
export function claimChunks(fn: KernelFn, gen: number, control: Int32Array, chunkArgs: Float64Array, own: Float64Array, scratch: number): void {
	const tag = gen & CLAIM_TAG_MASK;
	const count = Atomics.load(control, CHUNKS);
	const n = Atomics.load(control, CHUNK_ARGC);
	const scratchArg = Atomics.load(control, SCRATCH_ARG);
	for (;;) {
		const claim = Atomics.load(control, CLAIM);
		const chunk = claim & ((1 << CLAIM_INDEX_BITS) - 1);
		if (claim >>> CLAIM_INDEX_BITS !== tag || chunk >= count) return;
		if (Atomics.compareExchange(control, CLAIM, claim, claim + 1) !== claim) continue;
		try {
			own.set(chunkArgs.subarray(chunk * MAX_ARGS, chunk * MAX_ARGS + n));
			if (scratchArg >= 0) own[scratchArg] = scratch;
			callKernel(fn, own, n);
		} catch {
			Atomics.store(control, FAILED, 1);
		}
		Atomics.add(control, FINISHED, 1);
		// Wakes the main thread if it stopped spinning and sleeps on the counter.
		Atomics.notify(control, FINISHED);
	}
}

/** Fixed-arity calls avoid building an array per call. */
export function callKernel(fn: KernelFn, a: Float64Array | number[], n: number): void {
	switch (n) {
		case 4: fn(a[0], a[1], a[2], a[3]); break;
		case 5: fn(a[0], a[1], a[2], a[3], a[4]); break;
		case 6: fn(a[0], a[1], a[2], a[3], a[4], a[5]); break;
		case 7: fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6]); break;
		case 8: fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); break;
		default: fn(...Array.from(a).slice(0, n));
	}
}
