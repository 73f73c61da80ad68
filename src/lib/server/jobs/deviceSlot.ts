import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { workerEventSchema, type WorkerCommand, type WorkerEvent } from '../../shared/workerProtocol';
import { startTsWorker } from '../workerThread';
import type { DeviceSpec } from './deviceInventory';

export interface RunningJob {
	jobId: string;
	kind: string;
}

interface SlotEvents {
	job: [WorkerEvent];
	idle: [];
}

/**
 * One compute device and the worker thread that owns it. The slot runs one job at a time. When the
 * thread dies it reports the running job as failed and starts a fresh thread, so one bad job never
 * takes the server or the device down for good.
 */
export class DeviceSlot extends EventEmitter<SlotEvents> {
	private worker: Worker | null = null;
	private running: RunningJob | null = null;
	private ready = false;
	private closing = false;
	private restartCount = 0;
	private consecutiveCrashes = 0;
	private restartTimer: NodeJS.Timeout | null = null;

	constructor(
		readonly spec: DeviceSpec,
		private readonly entry = 'device-worker'
	) {
		super();
	}

	get id(): string {
		return this.spec.id;
	}

	get threadId(): number | null {
		return this.ready && this.worker ? this.worker.threadId : null;
	}

	get restarts(): number {
		return this.restartCount;
	}

	get current(): RunningJob | null {
		return this.running;
	}

	get idle(): boolean {
		return this.ready && this.running === null && !this.closing;
	}

	start(): void {
		const worker = startTsWorker(this.entry, {
			workerData: { slotId: this.spec.id, kind: this.spec.kind },
			name: `device-${this.spec.id}`
		});
		this.worker = worker;
		this.ready = false;
		worker.on('message', (raw: unknown) => this.onMessage(raw));
		worker.on('error', (error) => {
			console.error(`[device ${this.id}] worker error:`, error);
		});
		worker.on('exit', (code) => this.onExit(worker, code));
	}

	run(job: RunningJob & { payload: unknown }): void {
		if (!this.idle || !this.worker) throw new Error(`Device ${this.id} is not idle`);
		this.running = { jobId: job.jobId, kind: job.kind };
		this.send({ type: 'start', jobId: job.jobId, kind: job.kind, payload: job.payload });
	}

	stopJob(jobId: string): boolean {
		if (this.running?.jobId !== jobId) return false;
		this.send({ type: 'stop', jobId });
		return true;
	}

	/** Ends the thread at once: used for shutdown, and by tests to simulate a crash. */
	async terminate(): Promise<void> {
		this.closing = true;
		if (this.restartTimer) clearTimeout(this.restartTimer);
		const worker = this.worker;
		if (!worker) return;
		// The worker ends the child processes it supervises (ms-swift runs) and exits; a worker stuck in
		// a computation does not answer, and is terminated after a moment.
		const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
		this.send({ type: 'shutdown' });
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
		await worker.terminate();
	}

	/** Kills the thread as a crash would, without stopping supervision. */
	async kill(): Promise<void> {
		await this.worker?.terminate();
	}

	private send(command: WorkerCommand): void {
		this.worker?.postMessage(command);
	}

	private onMessage(raw: unknown): void {
		const parsed = workerEventSchema.safeParse(raw);
		if (!parsed.success) {
			console.error(`[device ${this.id}] ignored a malformed worker message`, parsed.error.issues[0]);
			return;
		}
		const event = parsed.data;
		if (event.type === 'ready') {
			this.ready = true;
			this.emit('idle');
			return;
		}
		this.emit('job', event);
		if (event.type === 'succeeded' || event.type === 'failed' || event.type === 'stopped') {
			this.running = null;
			this.consecutiveCrashes = 0;
			this.emit('idle');
		}
	}

	private onExit(worker: Worker, code: number): void {
		if (worker !== this.worker) return;
		this.worker = null;
		this.ready = false;
		const lost = this.running;
		this.running = null;
		// At shutdown the job is not failed but interrupted; the scheduler records that.
		if (lost && !this.closing) {
			this.emit('job', { type: 'failed', jobId: lost.jobId, error: `The device worker for ${this.id} stopped (exit code ${code}) while running this job.` });
		}
		if (this.closing) return;
		console.error(`[device ${this.id}] worker exited with code ${code}; restarting`);
		this.restartCount++;
		this.consecutiveCrashes++;
		// Back off when a worker keeps dying at start, so a broken install does not spin the CPU.
		const delay = Math.min(10_000, 100 * 2 ** Math.min(this.consecutiveCrashes - 1, 7));
		this.restartTimer = setTimeout(() => {
			this.restartTimer = null;
			if (!this.closing) this.start();
		}, delay);
	}
}
