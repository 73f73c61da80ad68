import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import { projectRoot } from '../../projectRoot';
import { classifyChunk, type ChunkLimits, type ChunkResult } from './plainChunk';

/**
 * Worker threads classifying JSONL chunks; requests go round-robin and answers are matched by id.
 *
 * The worker's code is bundled to plain JavaScript once per process rather than loaded through the tsx
 * bootstrap the other workers use: tsx gives each worker its own loader thread, which roughly doubles
 * a worker's memory, and an upload must not cost much more memory than the sequential import.
 */

let workerSource: string | null = null;

function bundledWorker(): string {
	// From the project root, not this module's URL: this code may also run bundled.
	const entry = path.join(projectRoot(), 'src', 'lib', 'server', 'datasets', 'parallel', 'plainChunkWorker.ts');
	workerSource ??= buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false }).outputFiles[0].text;
	return workerSource;
}

interface Waiter {
	resolve(result: ChunkResult): void;
	reject(error: Error): void;
}

export function defaultChunkWorkers(): number {
	// The main thread only reads, routes and writes, so it does not need a core of its own; past two
	// workers it is the main thread that limits the speed, and each worker costs some 10-15 MB.
	return Math.max(1, Math.min(2, os.availableParallelism()));
}

export class ChunkPool {
	/** Started on first use: a file whose chunks are few (one huge dropped line) starts only what it needs. */
	private readonly workers: (Worker | undefined)[];
	private readonly waiting = new Map<number, Waiter>();
	private nextId = 0;
	private failure: Error | null = null;

	/** `inlineBytes`: chunks up to this size are classified on the calling thread (see classify). */
	constructor(
		size: number,
		private readonly limits: ChunkLimits,
		private readonly inlineBytes = 0
	) {
		this.workers = new Array<Worker | undefined>(size).fill(undefined);
	}

	private worker(index: number): Worker {
		const started = this.workers[index];
		if (started) return started;
		const worker = new Worker(bundledWorker(), { eval: true });
		worker.on('message', (message: ChunkResult | { id: number; error: string }) => {
			const waiter = this.waiting.get(message.id);
			this.waiting.delete(message.id);
			if ('error' in message) waiter?.reject(new Error(message.error));
			else waiter?.resolve(message);
		});
		worker.on('error', (error) => this.fail(error));
		worker.on('exit', (code) => {
			if (code !== 0) this.fail(new Error(`A JSONL worker thread stopped (exit code ${code}).`));
		});
		this.workers[index] = worker;
		return worker;
	}

	/** `bytes[0, length)` is classified; its whole ArrayBuffer is transferred, not copied, and comes back in the result. */
	classify(bytes: Buffer, length: number, fileStart: boolean): Promise<ChunkResult> {
		if (this.failure) return Promise.reject(this.failure);
		const id = this.nextId++;
		const chunk = new Uint8Array(bytes.buffer, bytes.byteOffset, length);
		// A few lines (the start of a file before a huge line, its tail) take less time here than a
		// thread takes to start, and a thread costs some 17 MB: only real chunks of work go out.
		if (length <= this.inlineBytes) {
			try {
				return Promise.resolve(classifyChunk({ id, chunk, fileStart, limits: this.limits }));
			} catch (error) {
				return Promise.reject(error instanceof Error ? error : new Error(String(error)));
			}
		}
		const result = new Promise<ChunkResult>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
		this.worker(id % this.workers.length).postMessage({ id, chunk, fileStart, limits: this.limits }, [chunk.buffer as ArrayBuffer]);
		return result;
	}

	private fail(error: Error): void {
		this.failure ??= error;
		for (const waiter of this.waiting.values()) waiter.reject(error);
		this.waiting.clear();
	}

	async close(): Promise<void> {
		this.failure ??= new Error('The JSONL worker pool is closed.');
		await Promise.all(this.workers.map((worker) => worker?.terminate()));
	}
}
