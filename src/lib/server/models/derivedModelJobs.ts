import fs from 'node:fs';
import type { ZodType } from 'zod';
import type { ModelEngine, SavedModelDescription } from '../../shared/models';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { JobsRepository } from '../db/jobs';
import type { Scheduler } from '../jobs/scheduler';
import type { ModelRegistry } from './modelRegistry';

/** What every job that makes a model from a registered one carries: the source, the new id, its folder. */
export interface DerivedModelPayload {
	sourceId: string;
	modelId: string;
	outDir: string;
}

export interface DerivedModelJobKind<P extends DerivedModelPayload> {
	kind: string;
	payloadSchema: ZodType<P>;
	/** The engine that loads what the job writes. */
	engine: ModelEngine;
	/** The new model's name after its source's: `<source> (<suffix>)`. */
	suffix(payload: P): string;
	/** The written folder's description; throws when the folder holds no model. */
	describe(payload: P, result: unknown): SavedModelDescription;
}

/**
 * Jobs that write a new model into `models/<new id>/` from a registered one (a merge, a `swift export`):
 * when one succeeds its folder becomes a `merged` registry entry with its source's provenance; when it
 * fails, is stopped or is cancelled before it ran, the half-written folder is removed.
 */
export function followDerivedModelJobs<P extends DerivedModelPayload>(registry: ModelRegistry, scheduler: Scheduler, jobs: JobsRepository, of: DerivedModelJobKind<P>): void {
	const payloadOf = (jobId: string) => {
		const job = jobs.get(jobId);
		const payload = of.payloadSchema.safeParse(job?.payload);
		return job && payload.success ? { job, payload: payload.data } : null;
	};
	const discard = (jobId: string) => {
		const found = payloadOf(jobId);
		if (found) fs.rmSync(found.payload.outDir, { recursive: true, force: true });
	};
	const register = (jobId: string, result: unknown) => {
		const found = payloadOf(jobId);
		if (!found) return;
		const { job, payload } = found;
		let info: SavedModelDescription;
		try {
			if (!fs.existsSync(payload.outDir)) throw new Error(`${payload.outDir} was not written`);
			info = of.describe(payload, result);
		} catch (error) {
			console.error(`[models] ${of.kind} job ${jobId} wrote no model (${error instanceof Error ? error.message : error}); its folder is removed.`);
			discard(jobId);
			return;
		}
		const source = registry.resolve(payload.sourceId);
		const from = source?.kind === 'saved' ? source.model : null;
		registry.add(
			{
				id: payload.modelId,
				name: `${from?.name ?? payload.sourceId} (${of.suffix(payload)})`,
				kind: 'merged',
				runId: from?.runId ?? null,
				step: from?.step ?? null,
				baseModel: payload.sourceId,
				ownerId: job.userId,
				createdAt: Date.now()
			},
			info,
			of.engine
		);
	};
	scheduler.on('worker', (job, event: WorkerEvent) => {
		if (job.kind !== of.kind) return;
		if (event.type === 'succeeded') register(job.id, event.result);
		else if (event.type === 'failed' || event.type === 'stopped') discard(job.id);
	});
	scheduler.on('cancelled', (job) => {
		if (job.kind === of.kind) discard(job.id);
	});
}
