import fs from 'node:fs';
import type { SessionUser } from '../../shared/auth';
import type { JobRecord } from '../../shared/jobs';
import { mergeJobKind, mergeJobPayloadSchema, savedModelInfoSchema, type MergeJobPayload } from '../../shared/models';
import { BUILTIN_ENGINE_DEVICE } from '../../shared/run/runDevice';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { JobsRepository } from '../db/jobs';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import type { Scheduler } from '../jobs/scheduler';
import type { ModelRegistry } from './modelRegistry';

/**
 * Merging an adapter checkpoint into a full model: a `merge` job on a device slot (workers/jobs/merge.ts)
 * writes `models/<new id>/`; when it succeeds the folder becomes a `merged` registry entry, and when it
 * fails or is cancelled the half-written folder is removed. Progress travels on the job's stream.
 */
export class ModelMerges {
	constructor(
		private readonly registry: ModelRegistry,
		private readonly scheduler: Scheduler,
		private readonly jobs: JobsRepository
	) {
		scheduler.on('worker', (job, event) => {
			if (job.kind === mergeJobKind) this.onWorkerEvent(job.id, event);
		});
		scheduler.on('cancelled', (job) => {
			if (job.kind === mergeJobKind) this.discard(job.id);
		});
	}

	start(id: string, user: SessionUser): JobRecord {
		const source = this.registry.requireBuiltin(this.registry.require(id), 'merge');
		if (source.format !== 'adapter') {
			throw new HttpError('conflict', `"${source.name}" is already a full model; only adapter (LoRA) checkpoints can be merged.`);
		}
		const modelId = newId();
		const payload: MergeJobPayload = { sourceId: source.id, modelId, adapterDir: source.path, outDir: this.registry.folderFor(modelId) };
		// The built-in engine merges on the CPU, where its kernels run.
		return this.scheduler.enqueue({ kind: mergeJobKind, payload, device: BUILTIN_ENGINE_DEVICE }, user.id);
	}

	private onWorkerEvent(jobId: string, event: WorkerEvent): void {
		if (event.type === 'succeeded') this.register(jobId, event.result);
		else if (event.type === 'failed' || event.type === 'stopped') this.discard(jobId);
	}

	private payloadOf(jobId: string): { job: JobRecord; payload: MergeJobPayload } | null {
		const job = this.jobs.get(jobId);
		const payload = mergeJobPayloadSchema.safeParse(job?.payload);
		return job && payload.success ? { job, payload: payload.data } : null;
	}

	private register(jobId: string, result: unknown): void {
		const found = this.payloadOf(jobId);
		if (!found) return;
		const { job, payload } = found;
		const info = savedModelInfoSchema.safeParse(result);
		const source = this.registry.resolve(payload.sourceId);
		if (!info.success || !fs.existsSync(payload.outDir)) {
			console.error(`[models] merge job ${jobId} finished without a model description; its folder is removed.`);
			this.discard(jobId);
			return;
		}
		const from = source?.kind === 'saved' ? source.model : null;
		this.registry.add(
			{
				id: payload.modelId,
				name: `${from?.name ?? payload.sourceId} (merged)`,
				kind: 'merged',
				runId: from?.runId ?? null,
				step: from?.step ?? null,
				baseModel: payload.sourceId,
				ownerId: job.userId,
				createdAt: Date.now()
			},
			info.data
		);
	}

	private discard(jobId: string): void {
		const found = this.payloadOf(jobId);
		if (found) fs.rmSync(found.payload.outDir, { recursive: true, force: true });
	}
}
