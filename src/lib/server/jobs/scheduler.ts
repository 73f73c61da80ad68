import { EventEmitter } from 'node:events';
import type { Device } from '../../shared/devices';
import type { JobRecord, JobSubmission } from '../../shared/jobs';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { JobsRepository } from '../db/jobs';
import { HttpError } from '../http/httpError';
import { gpuSlots } from '../../shared/run/runDevice';
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
	/**
	 * Slots held for a job on several GPUs, by slot id: from the moment it is first in line for its
	 * slot (so the GPUs it waits for take no new work and it cannot starve) until it ends.
	 */
	private readonly held = new Map<string, string>();

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
	enqueue(submission: { kind: string; payload: unknown; device: string; slotCount?: number }, userId: string): JobRecord {
		this.requireDevice(submission.device, submission.slotCount);
		const job = this.jobs.enqueue({ kind: submission.kind, payload: submission.payload, device: submission.device, slotCount: submission.slotCount, userId });
		this.emitJobEvent(job.id, 'status', { status: 'queued' });
		// Dispatch on the next turn, so the caller can record what the job belongs to before it starts.
		setImmediate(() => this.dispatch());
		return job;
	}

	/** Refuses a device no slot serves (or too few GPUs after it), so a caller can check before it stores anything. */
	requireDevice(device: string, slotCount = 1): void {
		if (device !== 'auto' && !this.slots.some((s) => s.id === device)) {
			throw new HttpError('invalid_request', `No device "${device}". Devices: ${this.slots.map((s) => s.id).join(', ')}.`, {
				device: 'Unknown device'
			});
		}
		if (slotCount > 1 && !this.slotGroup(device, slotCount)) {
			const gpus = this.slots.filter((s) => s.spec.kind === 'cuda').map((s) => s.id);
			throw new HttpError('invalid_request', `${slotCount} GPUs from ${device} need ${gpuSlots(device, slotCount).join(', ')}; this machine has ${gpus.length ? gpus.join(', ') : 'no GPU'}.`, {
				nproc_per_node: `More GPUs than ${device} and the ones after it`
			});
		}
	}

	/** The slots a job holds: the one it runs on and the GPUs after it; null when one of them does not exist. */
	private slotGroup(device: string, slotCount: number): DeviceSlot[] | null {
		const group = gpuSlots(device, slotCount).map((id) => this.slots.find((s) => s.id === id));
		return group.every((s) => s !== undefined) ? (group as DeviceSlot[]) : null;
	}

	private release(jobId: string): void {
		for (const [slotId, holder] of this.held) if (holder === jobId) this.held.delete(slotId);
	}

	cancel(jobId: string): JobRecord {
		const job = this.jobs.get(jobId);
		if (!job) throw new HttpError('not_found', `No job "${jobId}".`);
		if (job.status === 'queued') {
			this.jobs.cancelQueued(jobId);
			this.release(jobId);
			setImmediate(() => this.dispatch());
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
			busyWithJob: slot.current?.jobId ?? this.heldBy(slot.id)
		}));
	}

	slot(id: string): DeviceSlot | undefined {
		return this.slots.find((s) => s.id === id);
	}

	/** A running job on several GPUs that holds this slot beside its own. */
	private heldBy(slotId: string): string | null {
		const holder = this.held.get(slotId);
		return holder && this.runningKinds.has(holder) ? holder : null;
	}

	/**
	 * Gives each idle slot the first queued job it may run. A job on several GPUs starts once every
	 * slot of its group is idle; until then the group is held for it, and a held slot runs nothing else.
	 */
	dispatch(): void {
		for (const slot of this.slots) {
			if (!slot.idle) continue;
			const next = this.jobs.nextFor(slot.id);
			const holder = this.held.get(slot.id);
			if (!next || (holder !== undefined && holder !== next.id)) continue;
			if (next.slotCount > 1) {
				const group = this.slotGroup(slot.id, next.slotCount);
				if (!group) {
					// The machine changed since the job was queued (a GPU gone): it can never start.
					if (!this.jobs.claim(next.id, slot.id)) continue;
					this.runningKinds.set(next.id, next.kind);
					this.onWorkerEvent(slot, { type: 'failed', jobId: next.id, error: `${next.slotCount} GPUs from ${slot.id} are not all on this machine any more.` });
					continue;
				}
				// Slots another job on several GPUs holds stay its own; this one waits for them.
				for (const member of group) if (!this.held.has(member.id)) this.held.set(member.id, next.id);
				if (!group.every((member) => member.idle && this.held.get(member.id) === next.id)) continue;
			}
			const job = this.jobs.claim(next.id, slot.id);
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
		if (event.type === 'succeeded' || event.type === 'failed' || event.type === 'stopped') {
			this.runningKinds.delete(event.jobId);
			if ([...this.held.values()].includes(event.jobId)) {
				this.release(event.jobId);
				setImmediate(() => this.dispatch());
			}
		}
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
