import type { Worker } from 'node:worker_threads';
import type { InferenceCommand, InferenceWorkerData, InferenceWorkerEvent, InferenceWorkerMessage } from '../../shared/inferenceProtocol';
import { startTsWorker } from '../workerThread';
import type { Lane } from './inferenceLanes';

type Listener = (event: Exclude<InferenceWorkerEvent, { type: 'ready' }>) => void;

/**
 * The inference worker thread of one device slot (workers/inference-worker.ts). If the thread dies,
 * every request on it fails with a clear error and a fresh thread starts for the next ones.
 */
export class InferenceThread implements Lane {
	private worker: Worker | null = null;
	private readonly listeners = new Map<string, Listener>();
	private closed = false;
	provider: 'cpu' | 'cuda' = 'cpu';
	restarts = 0;

	constructor(
		private readonly data: InferenceWorkerData,
		private readonly module = 'inference-worker'
	) {}

	get inFlight(): number {
		return this.listeners.size;
	}

	private ensure(): Worker {
		if (this.worker) return this.worker;
		const worker = startTsWorker(this.module, { workerData: this.data });
		worker.on('message', (events: InferenceWorkerMessage) => {
			for (const event of events) {
				if (event.type === 'ready') this.provider = event.provider;
				else this.listeners.get(event.id)?.(event);
			}
		});
		worker.on('error', (error) => console.error(`[inference] worker on ${this.data.slotId} failed:`, error));
		worker.on('exit', (code) => {
			if (this.worker !== worker) return;
			this.worker = null;
			if (this.closed) return;
			this.restarts++;
			const message = `The inference worker on ${this.data.slotId} stopped (exit code ${code}); it restarts for the next request.`;
			for (const [id, listener] of [...this.listeners]) {
				this.listeners.delete(id);
				listener({ type: 'error', id, code: 'internal', message });
			}
		});
		this.worker = worker;
		return worker;
	}

	/** Sends a generation; `listener` gets its deltas and then its one `done` or `error`. */
	generate(command: Extract<InferenceCommand, { type: 'generate' }>, listener: Listener): void {
		this.listeners.set(command.id, (event) => {
			if (event.type !== 'delta') this.listeners.delete(command.id);
			listener(event);
		});
		this.ensure().postMessage(command);
	}

	cancel(id: string): void {
		if (!this.listeners.delete(id)) return;
		this.worker?.postMessage({ type: 'cancel', id } satisfies InferenceCommand);
	}

	async close(): Promise<void> {
		this.closed = true;
		await this.worker?.terminate();
		this.worker = null;
	}
}
