// The main thread's side of the kernel thread pool. The main thread is thread 0 and always does a
// share of each job itself; helpers 1..n-1 are worker_threads running workers/kernel-thread.ts over
// the same WebAssembly.Memory. Only large work is split (a job round trip costs microseconds).

import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPackageRoot, KERNEL_NAMES, type KernelExports, type KernelName } from '../kernels/module';
import { claimChunks, describeJob, openJob } from './helper';
import { CHUNK_ARGS_OFFSET, CONTROL_INTS, CONTROL_OFFSET, FAILED, FINISHED, GENERATION, MAX_ARGS, MAX_CHUNKS, MAX_THREADS, STOP, type HelperInit } from './protocol';

/** No single kernel call takes anywhere near this long; past it a helper thread is gone. */
const HELPER_TIMEOUT_MS = 120_000;
/** Polls of the finished counter before the main thread starts sleeping between checks (~20 us). */
const FINISH_SPINS = 20_000;

export class KernelPool {
	readonly threads: number;
	private readonly workers: Worker[];
	private readonly control: Int32Array;
	private readonly chunkArgs: Float64Array;
	private readonly own = new Float64Array(MAX_ARGS);
	private readonly mainScratch: number;
	private readonly kernels: KernelExports;
	private readonly kernelIndex = new Map<KernelName, number>(KERNEL_NAMES.map((n, i) => [n, i]));
	private generation: number;

	private constructor(memory: WebAssembly.Memory, kernels: KernelExports, workers: Worker[], mainScratch: number) {
		this.kernels = kernels;
		this.mainScratch = mainScratch;
		this.workers = workers;
		this.threads = workers.length + 1;
		this.control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
		this.chunkArgs = new Float64Array(memory.buffer, CHUNK_ARGS_OFFSET, MAX_CHUNKS * MAX_ARGS);
		this.generation = Atomics.load(this.control, GENERATION);
	}

	/**
	 * A pool of scratch.length threads in all (this one included, with scratch[0]); one means no
	 * helpers. scratch[t] is thread t's private scratch.
	 */
	static async start(memory: WebAssembly.Memory, kernels: KernelExports, scratch: number[]): Promise<KernelPool> {
		const count = Math.max(1, Math.min(MAX_THREADS, scratch.length));
		const root = findPackageRoot();
		const entry = pathToFileURL(join(root, 'workers', 'kernel-thread.ts')).href;
		// Node 20 does not apply `--import tsx` from a worker's execArgv to its .ts entry: every
		// TypeScript worker starts from workers/boot.mjs, which registers tsx and imports the entry.
		const bootstrap = join(root, 'workers', 'boot.mjs');
		const control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
		Atomics.store(control, STOP, 0);
		const workers: Worker[] = [];
		const ready: Promise<void>[] = [];
		for (let tid = 1; tid < count; tid++) {
			const init: HelperInit = { memory, tid, scratch: scratch[tid] };
			const worker = new Worker(bootstrap, { argv: [entry], workerData: init });
			ready.push(
				new Promise<void>((resolve, reject) => {
					worker.once('message', () => resolve());
					worker.once('error', reject);
				})
			);
			workers.push(worker);
		}
		await Promise.all(ready);
		// Helpers never keep the process alive on their own; shutdown() is still the clean way out.
		for (const w of workers) w.unref();
		return new KernelPool(memory, kernels, workers, scratch[0]);
	}

	/**
	 * Runs `name` once per chunk (argument list), chunks claimed by whichever thread is free, this one
	 * included; returns when all have finished. Argument `scratchArg` of each chunk is replaced by the
	 * running thread's scratch pointer (-1: none).
	 */
	run(name: KernelName, chunks: number[][], scratchArg: number): void {
		if (chunks.length > MAX_CHUNKS) throw new Error(`engine: ${chunks.length} chunks (at most ${MAX_CHUNKS})`);
		const c = this.control;
		const argc = chunks.length > 0 ? chunks[0].length : 0;
		if (argc > MAX_ARGS) throw new Error(`engine: ${argc} kernel arguments (at most ${MAX_ARGS})`);
		const gen = (this.generation + 1) | 0;
		this.generation = gen;
		describeJob(c, this.chunkArgs, this.kernelIndex.get(name) as number, chunks, scratchArg);
		openJob(c, gen);
		claimChunks(this.kernels[name] as (...a: number[]) => unknown, gen, c, this.chunkArgs, this.own, this.mainScratch);
		this.awaitFinished(name, chunks.length);
		if (Atomics.load(c, FAILED) !== 0) throw new Error(`engine: kernel ${name} failed on a helper thread`);
	}

	/**
	 * Waits for chunks other threads still hold. Usually they finish within microseconds of this
	 * thread, so spin first (a sleep costs tens of microseconds to wake from); past that the OS has
	 * probably paused a helper to run other work, so sleep in short waits and stop competing with it.
	 * A helper that died would leave us waiting forever, so the clock bounds the wait.
	 */
	private awaitFinished(name: KernelName, count: number): void {
		const c = this.control;
		for (let i = 0; i < FINISH_SPINS; i++) if (Atomics.load(c, FINISHED) >= count) return;
		const started = performance.now();
		for (;;) {
			const finished = Atomics.load(c, FINISHED);
			if (finished >= count) return;
			Atomics.wait(c, FINISHED, finished, 1);
			if (performance.now() - started > HELPER_TIMEOUT_MS) {
				throw new Error(`engine: kernel ${name} got no answer from helper threads in ${HELPER_TIMEOUT_MS} ms`);
			}
		}
	}

	async shutdown(): Promise<void> {
		Atomics.store(this.control, STOP, 1);
		Atomics.add(this.control, GENERATION, 1);
		Atomics.notify(this.control, GENERATION);
		await Promise.all(this.workers.map((w) => w.terminate()));
		this.workers.length = 0;
	}
}

/** Splits [0, total) into up to `parts` ranges whose boundaries are multiples of `align`. */
export function splitRange(total: number, parts: number, align: number = 1): [number, number][] {
	const units = Math.ceil(total / align);
	const n = Math.max(1, Math.min(parts, units));
	const out: [number, number][] = [];
	for (let i = 0; i < n; i++) {
		const lo = Math.min(total, Math.floor((units * i) / n) * align);
		const hi = Math.min(total, Math.floor((units * (i + 1)) / n) * align);
		if (hi > lo) out.push([lo, hi]);
	}
	return out;
}
