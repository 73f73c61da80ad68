// The loop a kernel helper thread runs: wait for a job in the control block, run its share of the
// kernel over the shared memory, report done. Spins briefly before sleeping, because waking a
// sleeping thread costs ~64 us while a spinning one sees the job in well under a microsecond.

import { compileKernels, instantiateKernels, KERNEL_NAMES } from '../kernels/module';
import { ACTIVE, ARGC_OFFSET, ARGS_OFFSET, CONTROL_OFFSET, CONTROL_INTS, DONE, FAILED, GENERATION, KERNEL, MAX_ARGS, STOP, type HelperInit } from './protocol';

const SPIN_ITERATIONS = 200_000;

export function runHelper(init: HelperInit, onReady: () => void): void {
	const { memory, tid } = init;
	const kernels = instantiateKernels(compileKernels().module, memory);
	const fns = KERNEL_NAMES.map((name) => (kernels as unknown as Record<string, (...a: number[]) => unknown>)[name] as (...a: number[]) => unknown);
	const control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
	const args = new Float64Array(memory.buffer, ARGS_OFFSET + tid * MAX_ARGS * 8, MAX_ARGS);
	const argc = new Float64Array(memory.buffer, ARGC_OFFSET, 64);
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
			const n = argc[tid];
			callKernel(fn, args, n);
		} catch {
			Atomics.store(control, FAILED, 1);
		}
		Atomics.add(control, DONE, 1);
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

