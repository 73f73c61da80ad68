// The main thread's side of the kernel thread pool. The main thread is thread 0 and always does a
// share of each job itself; helpers 1..n-1 are worker_threads running workers/kernel-thread.ts over
// the same WebAssembly.Memory. Only large work is split (a job round trip costs microseconds).

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPackageRoot, KERNEL_NAMES, type KernelExports, type KernelName } from '../kernels/module';
import { callKernel } from './helper';
import { ACTIVE, ARGC_OFFSET, ARGS_OFFSET, CONTROL_INTS, CONTROL_OFFSET, DONE, FAILED, GENERATION, KERNEL, MAX_ARGS, MAX_THREADS, STOP, type HelperInit } from './protocol';

/** No single kernel call takes anywhere near this long; past it a helper thread is gone. */
const HELPER_TIMEOUT_MS = 120_000;

export class KernelPool {
	readonly threads: number;
	private readonly workers: Worker[];
	private readonly control: Int32Array;
	private readonly args: Float64Array;
	private readonly argc: Float64Array;
	private readonly kernels: KernelExports;
	private readonly kernelIndex = new Map<KernelName, number>(KERNEL_NAMES.map((n, i) => [n, i]));

	private constructor(memory: WebAssembly.Memory, kernels: KernelExports, workers: Worker[]) {
		this.kernels = kernels;
		this.workers = workers;
		this.threads = workers.length + 1;
		this.control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
		this.args = new Float64Array(memory.buffer, ARGS_OFFSET, MAX_THREADS * MAX_ARGS);
		this.argc = new Float64Array(memory.buffer, ARGC_OFFSET, MAX_THREADS);
	}

	/** A pool of `threads` threads in all (this one included); 1 means no helpers. */
	static async start(memory: WebAssembly.Memory, kernels: KernelExports, threads: number): Promise<KernelPool> {
		const count = Math.max(1, Math.min(MAX_THREADS, Math.floor(threads)));
		const root = findPackageRoot();
		const entry = pathToFileURL(join(root, 'workers', 'kernel-thread.ts')).href;
		// Node 20 does not apply `--import tsx` from a worker's execArgv to its .ts entry, so a small
		// bootstrap registers tsx through its API first and then imports the entry.
		const tsxApi = pathToFileURL(tsxEsmApi(root)).href;
		const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
		const control = new Int32Array(memory.buffer, CONTROL_OFFSET, CONTROL_INTS);
		Atomics.store(control, STOP, 0);
		const workers: Worker[] = [];
		const ready: Promise<void>[] = [];
		for (let tid = 1; tid < count; tid++) {
			const init: HelperInit = { memory, tid };
			const worker = new Worker(bootstrap, { eval: true, workerData: init });
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
		return new KernelPool(memory, kernels, workers);
	}

	/**
	 * Runs `name` once per entry of argsPerThread, entry 0 on this thread, the rest on helpers, and
	 * returns when all are done. Entries beyond the pool size are not allowed.
	 */
	run(name: KernelName, argsPerThread: number[][]): void {
		const n = argsPerThread.length;
		const fn = this.kernels[name] as (...a: number[]) => unknown;
		if (n === 1 || this.threads === 1) {
			for (const a of argsPerThread) callKernel(fn, a, a.length);
			return;
		}
		if (n > this.threads) throw new Error(`engine: ${n} parts for ${this.threads} threads`);
		for (let t = 1; t < n; t++) {
			const a = argsPerThread[t];
			this.args.set(a, t * MAX_ARGS);
			this.argc[t] = a.length;
		}
		const c = this.control;
		Atomics.store(c, KERNEL, this.kernelIndex.get(name) as number);
		Atomics.store(c, ACTIVE, n);
		Atomics.store(c, DONE, 0);
		Atomics.add(c, GENERATION, 1);
		Atomics.notify(c, GENERATION);
		callKernel(fn, argsPerThread[0], argsPerThread[0].length);
		// Helpers finish within microseconds of this thread on balanced work; spinning is cheaper than
		// waiting. A helper that died would leave us spinning forever, so the clock is checked now and then.
		let spins = 0;
		const started = performance.now();
		while (Atomics.load(c, DONE) < n - 1) {
			if (++spins % 1_000_000 === 0 && performance.now() - started > HELPER_TIMEOUT_MS) {
				throw new Error(`engine: kernel ${name} got no answer from helper threads in ${HELPER_TIMEOUT_MS} ms`);
			}
		}
		if (Atomics.load(c, FAILED) !== 0) {
			Atomics.store(c, FAILED, 0);
			throw new Error(`engine: kernel ${name} failed on a helper thread`);
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

/** Path of tsx's ESM register API, read from its package exports (resolution conditions: import). */
function tsxEsmApi(root: string): string {
	const pkgPath = createRequire(join(root, 'package.json')).resolve('tsx/package.json');
	const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
	return join(dirname(pkgPath), pkg.exports['./esm/api'].import.default);
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
