import type { Worker } from 'node:worker_threads';
import { inspectReplySchema, type SavedModelDescription } from '../../shared/models';
import { startTsWorker } from '../workerThread';

/** How long the inspector thread stays up with nothing to do before it exits. */
const IDLE_MS = 30_000;

/**
 * Describes and validates a model folder with the engine's `describeSavedModel`, run in one worker
 * thread (workers/model-inspector.ts) started on first use and let go when idle, so the server never
 * loads the engine. Rejects with the engine's own message, which names the file and tensor or field.
 */
export class ModelInspector {
	private worker: Worker | null = null;
	private nextId = 1;
	private readonly pending = new Map<number, { resolve: (info: SavedModelDescription) => void; reject: (error: Error) => void }>();
	private idleTimer: NodeJS.Timeout | null = null;

	describe(dir: string): Promise<SavedModelDescription> {
		const worker = this.ensureWorker();
		if (this.idleTimer) clearTimeout(this.idleTimer);
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, dir });
		});
	}

	async close(): Promise<void> {
		if (this.idleTimer) clearTimeout(this.idleTimer);
		const worker = this.worker;
		this.worker = null;
		this.failAll(new Error('The server is shutting down.'));
		await worker?.terminate();
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = startTsWorker('model-inspector');
		worker.on('message', (raw: unknown) => {
			const reply = inspectReplySchema.safeParse(raw);
			if (!reply.success) return;
			const waiting = this.pending.get(reply.data.id);
			if (!waiting) return;
			this.pending.delete(reply.data.id);
			if (reply.data.ok) waiting.resolve(reply.data.info);
			else waiting.reject(new Error(reply.data.error));
			if (this.pending.size === 0) this.scheduleIdleExit();
		});
		worker.on('error', (error) => this.failAll(error));
		worker.on('exit', () => {
			if (this.worker === worker) this.worker = null;
			this.failAll(new Error('The model inspector stopped unexpectedly.'));
		});
		this.worker = worker;
		return worker;
	}

	private scheduleIdleExit(): void {
		this.idleTimer = setTimeout(() => {
			const worker = this.worker;
			this.worker = null;
			void worker?.terminate();
		}, IDLE_MS);
		this.idleTimer.unref();
	}

	private failAll(error: Error): void {
		for (const waiting of this.pending.values()) waiting.reject(error);
		this.pending.clear();
	}
}
