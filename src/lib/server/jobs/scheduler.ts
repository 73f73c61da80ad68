import { EventEmitter } from 'node:events';
import type { Device } from '../../shared/devices';
import type { JobRecord, JobSubmission } from '../../shared/jobs';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { JobsRepository } from '../db/jobs';
import { HttpError } from '../http/httpError';
import type { DeviceSlot } from './deviceSlot';

export interface JobEventSink {
	(jobId: string, type: string, data: unknown): void;
}

/** What features that own a job kind (training runs, evals) listen to. */
interface SchedulerEvents {
	started: [job: { id: string; kind: string }, slotId: string];
	worker: [job: { id: string; kind: string }, event: WorkerEvent];
	cancelled: [job: { id: string; kind: string }];
}

/**
 * Hands queued jobs to free device slots and records what the workers report. The queue lives in
 * SQLite, so a restart loses no queued job; jobs that were running when the server died are marked
 * `interrupted` at start.
 */
export class Scheduler extends EventEmitter<SchedulerEvents> {
	/** Kinds of the jobs on a device now, so worker events can be routed without a lookup. */
	private readonly runningKinds = new Map<string, string>();

	constructor(
		private readonly jobs: JobsRepository,
		private readonly slots: DeviceSlot[],
		private readonly emitJobEvent: JobEventSink
	) {
		super();
		for (const slot of slots) {
			slot.on('idle', () => this.dispatch());
			slot.on('job', (event) => this.onWorkerEvent(slot, event));
		}
	}

	start(): void {
		const interrupted = this.jobs.markRunningInterrupted();
		if (interrupted) console.warn(`[jobs] ${interrupted} job(s) were running when the server stopped: marked interrupted`);
		for (const slot of this.slots) slot.start();
	}

	submit(submission: JobSubmission, userId: string): JobRecord {
		return this.enqueue(submission, userId);
	}

	/** Queues a job of any kind; features with their own job kinds (training runs) call this. */
	enqueue(submission: { kind: string; payload: unknown; device: string }, userId: string): JobRecord {
		this.requireDevice(submission.device);
		const job = this.jobs.enqueue({ kind: submission.kind, payload: submission.payload, device: submission.device, userId });
		this.emitJobEvent(job.id, 'status', { status: 'queued' });
		// Dispatch on the next turn, so the caller can record what the job belongs to before it starts.
		setImmediate(() => this.dispatch());
		return job;
	}

	/** Refuses a device no slot serves, so a caller can check before it stores anything. */
	requireDevice(device: string): void {
		if (device !== 'auto' && !this.slots.some((s) => s.id === device)) {
			throw new HttpError('invalid_request', `No device "${device}". Devices: ${this.slots.map((s) => s.id).join(', ')}.`, {
				device: 'Unknown device'
			});
		}
	}

	cancel(jobId: string): JobRecord {
		const job = this.jobs.get(jobId);
		if (!job) throw new HttpError('not_found', `No job "${jobId}".`);
		if (job.status === 'queued') {
			this.jobs.cancelQueued(jobId);
			this.emitJobEvent(jobId, 'status', { status: 'cancelled' });
			this.emit('cancelled', { id: jobId, kind: job.kind });
		} else if (job.status === 'running') {
			const slot = this.slots.find((s) => s.current?.jobId === jobId);
			slot?.stopJob(jobId);
		} else {
			throw new HttpError('conflict', `Job "${jobId}" has already ${job.status}.`);
		}
		return this.jobs.get(jobId) as JobRecord;
	}

	devices(): Device[] {
		return this.slots.map((slot) => ({
			...slot.spec,
			workerThreadId: slot.threadId,
			restarts: slot.restarts,
			busyWithJob: slot.current?.jobId ?? null
		}));
	}

	slot(id: string): DeviceSlot | undefined {
		return this.slots.find((s) => s.id === id);
	}

	/** Gives each idle slot the first queued job it may run. */
	dispatch(): void {
		for (const slot of this.slots) {
			if (!slot.idle) continue;
			const job = this.jobs.claimNext(slot.id);
			if (!job) continue;
			this.emitJobEvent(job.id, 'status', { status: 'running', device: slot.id });
			this.runningKinds.set(job.id, job.kind);
			this.emit('started', { id: job.id, kind: job.kind }, slot.id);
			slot.run({ jobId: job.id, kind: job.kind, payload: job.payload });
		}
	}

	private onWorkerEvent(slot: DeviceSlot, event: WorkerEvent): void {
		if (event.type === 'ready') return;
		const kind = this.runningKinds.get(event.jobId) ?? 'unknown';
		if (event.type === 'succeeded' || event.type === 'failed' || event.type === 'stopped') this.runningKinds.delete(event.jobId);
		this.emit('worker', { id: event.jobId, kind }, event);
		switch (event.type) {
			case 'progress':
				this.jobs.setProgress(event.jobId, event.progress);
				this.emitJobEvent(event.jobId, 'progress', { progress: event.progress, data: event.data });
				break;
			case 'log':
				this.emitJobEvent(event.jobId, 'log', { line: event.line });
				break;
			case 'succeeded':
				this.jobs.setProgress(event.jobId, 1);
				this.jobs.finish(event.jobId, { status: 'succeeded', result: event.result });
				this.emitJobEvent(event.jobId, 'status', { status: 'succeeded', result: event.result });
				break;
			case 'stopped':
				this.jobs.finish(event.jobId, { status: 'cancelled', result: event.result });
				this.emitJobEvent(event.jobId, 'status', { status: 'cancelled', result: event.result });
				break;
			case 'failed':
				this.jobs.finish(event.jobId, { status: 'failed', error: event.error });
				this.emitJobEvent(event.jobId, 'status', { status: 'failed', error: event.error, device: slot.id });
				break;
		}
	}

	async close(): Promise<void> {
		await Promise.all(this.slots.map((slot) => slot.terminate()));
		this.jobs.markRunningInterrupted();
	}
}
