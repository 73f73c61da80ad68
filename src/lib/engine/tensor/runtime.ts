// The engine context of one thread: the shared memory, its allocators, the kernel instance and the
// kernel thread pool. Created lazily (single-threaded) on first use; initThreads() adds helpers.

import { availableParallelism } from 'node:os';
import { compileKernels, instantiateKernels, type KernelExports, type KernelName } from '../kernels/module';
import { KernelPool } from '../threads/pool';
import { HEAP_BASE } from '../threads/protocol';
import { SharedHeap, StepArena } from './heap';

const PAGE = 65536;

export interface EngineOptions {
	/** Initial shared memory, MiB (grows on demand). */
	initialMiB?: number;
	/** Upper bound of the shared memory, MiB (at most 4096). */
	maximumMiB?: number;
}

export class Engine {
	readonly memory: WebAssembly.Memory;
	readonly heap: SharedHeap;
	readonly arena: StepArena;
	readonly kernels: KernelExports;
	readonly relaxedSimd: boolean;
	private pool: KernelPool | null = null;
	private scratchPtrs: number[] = [];
	readonly scratchBytes: number;

	constructor(options: EngineOptions = {}) {
		const initial = Math.ceil(((options.initialMiB ?? 64) << 20) / PAGE);
		const maximum = Math.ceil((Math.min(options.maximumMiB ?? 4096, 4096) * 1048576) / PAGE);
		this.memory = new WebAssembly.Memory({ initial, maximum, shared: true });
		const compiled = compileKernels();
		this.relaxedSimd = compiled.relaxed;
		this.kernels = instantiateKernels(compiled.module, this.memory);
		this.heap = new SharedHeap(this.memory, HEAP_BASE);
		this.arena = new StepArena(this.heap);
		// A thread runs one kernel at a time, so GEMM packing and attention blocks share the same bytes.
		this.scratchBytes = Math.max(this.kernels.gemmScratchBytes(), this.kernels.attentionScratchBytes());
		this.scratchPtrs = [this.heap.alloc(this.scratchBytes)];
	}

	/** Threads kernels may split over (this one included). */
	get threads(): number {
		return this.pool?.threads ?? 1;
	}

	/** Private scratch of thread `tid` (gemm packing, attention blocks). */
	scratch(tid: number): number {
		return this.scratchPtrs[tid];
	}

	async startThreads(threads: number): Promise<void> {
		await this.stopThreads();
		const n = Math.max(1, Math.floor(threads));
		while (this.scratchPtrs.length < n) this.scratchPtrs.push(this.heap.alloc(this.scratchBytes));
		if (n > 1) this.pool = await KernelPool.start(this.memory, this.kernels, this.scratchPtrs.slice(0, n));
	}

	async stopThreads(): Promise<void> {
		const pool = this.pool;
		this.pool = null;
		if (pool) await pool.shutdown();
	}

	/**
	 * Per-label kernel time (ms) and calls while profiling is on; label is the kernel name or a
	 * finer one given by the binding (e.g. the GEMM layout). Off by default: it costs two clock reads.
	 */
	profile: Map<string, { ms: number; calls: number }> | null = null;

	/**
	 * One kernel call per argument list, spread over the pool: lists are claimed by whichever thread
	 * is free (this one included). Argument `scratchArg` of each list, when >= 0, is replaced by the
	 * running thread's scratch pointer.
	 */
	run(name: KernelName, chunks: number[][], label?: string, scratchArg = -1): void {
		const t0 = this.profile ? performance.now() : 0;
		if (this.pool && chunks.length > 1) {
			this.pool.run(name, chunks, scratchArg);
		} else {
			const fn = this.kernels[name] as (...a: number[]) => unknown;
			for (const a of chunks) {
				if (scratchArg >= 0) a[scratchArg] = this.scratch(0);
				fn(...a);
			}
		}
		if (this.profile) {
			const key = label ?? name;
			const entry = this.profile.get(key) ?? { ms: 0, calls: 0 };
			entry.ms += performance.now() - t0;
			entry.calls++;
			this.profile.set(key, entry);
		}
	}

	/** run() with a scratch argument: for kernels that need per-thread working memory. */
	runChunked(name: KernelName, chunks: number[][], scratchArg: number, label?: string): void {
		this.run(name, chunks, label, scratchArg);
	}

	/** Times a kernel called directly (not through run) into the profile. */
	timed<T>(label: string, fn: () => T): T {
		if (!this.profile) return fn();
		const t0 = performance.now();
		const r = fn();
		const entry = this.profile.get(label) ?? { ms: 0, calls: 0 };
		entry.ms += performance.now() - t0;
		entry.calls++;
		this.profile.set(label, entry);
		return r;
	}
}

let current: Engine | null = null;

/** This thread's engine, created single-threaded with default memory on first use. */
export function engine(): Engine {
	if (!current) current = new Engine();
	return current;
}

/** Creates the engine with explicit memory options; fails if one already exists. */
export function createEngine(options: EngineOptions): Engine {
	if (current) throw new Error('engine: already created');
	current = new Engine(options);
	return current;
}

/**
 * Starts kernel helper threads. threads: total including this one; default SWIFTBOARD_THREADS or
 * os.availableParallelism().
 */
export async function initThreads(threads?: number): Promise<number> {
	const env = Number(process.env.SWIFTBOARD_THREADS);
	const n = threads ?? (Number.isFinite(env) && env > 0 ? env : availableParallelism());
	await engine().startThreads(n);
	return engine().threads;
}

/** Stops the helper threads (kernels keep working on this thread). */
export async function shutdownThreads(): Promise<void> {
	if (current) await current.stopThreads();
}
