import type { Device } from '../../shared/devices';
import type { JobRecord, JobSubmission } from '../../shared/jobs';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { JobsRepository } from '../db/jobs';
import { HttpError } from '../http/httpError';
import type { DeviceSlot } from './deviceSlot';

export interface JobEventSink {
	(jobId: string, type: string, data: unknown): void;
}

/**
 * Hands queued jobs to free device slots and records what the workers report. The queue lives in
 * SQLite, so a restart loses no queued job; jobs that were running when the server died are marked
 * `interrupted` at start.
 */
export class Scheduler {
	constructor(
		private readonly jobs: JobsRepository,
		private readonly slots: DeviceSlot[],
		private readonly emit: JobEventSink
	) {
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
		if (submission.device !== 'auto' && !this.slots.some((s) => s.id === submission.device)) {
			throw new HttpError('invalid_request', `No device "${submission.device}". Devices: ${this.slots.map((s) => s.id).join(', ')}.`, {
				device: 'Unknown device'
			});
		}
		const job = this.jobs.enqueue({ kind: submission.kind, payload: submission.payload, device: submission.device, userId });
		this.emit(job.id, 'status', { status: 'queued' });
		this.dispatch();
		return job;
	}

	cancel(jobId: string): JobRecord {
		const job = this.jobs.get(jobId);
		if (!job) throw new HttpError('not_found', `No job "${jobId}".`);
		if (job.status === 'queued') {
			this.jobs.cancelQueued(jobId);
			this.emit(jobId, 'status', { status: 'cancelled' });
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
			this.emit(job.id, 'status', { status: 'running', device: slot.id });
			slot.run({ jobId: job.id, kind: job.kind, payload: job.payload });
		}
	}

	private onWorkerEvent(slot: DeviceSlot, event: WorkerEvent): void {
		switch (event.type) {
			case 'progress':
				this.jobs.setProgress(event.jobId, event.progress);
				this.emit(event.jobId, 'progress', { progress: event.progress, data: event.data });
				break;
			case 'log':
				this.emit(event.jobId, 'log', { line: event.line });
				break;
			case 'succeeded':
				this.jobs.setProgress(event.jobId, 1);
				this.jobs.finish(event.jobId, { status: 'succeeded', result: event.result });
				this.emit(event.jobId, 'status', { status: 'succeeded', result: event.result });
				break;
			case 'stopped':
				this.jobs.finish(event.jobId, { status: 'cancelled', result: event.result });
				this.emit(event.jobId, 'status', { status: 'cancelled', result: event.result });
				break;
			case 'failed':
				this.jobs.finish(event.jobId, { status: 'failed', error: event.error });
				this.emit(event.jobId, 'status', { status: 'failed', error: event.error, device: slot.id });
				break;
			case 'ready':
				break;
		}
	}

	async close(): Promise<void> {
		await Promise.all(this.slots.map((slot) => slot.terminate()));
		this.jobs.markRunningInterrupted();
	}
}
