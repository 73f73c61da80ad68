import type { SessionUser } from '../../shared/auth';
import type { JobRecord } from '../../shared/jobs';
import { mergeJobKind, mergeJobPayloadSchema, savedModelInfoSchema, type MergeJobPayload } from '../../shared/models';
import { BUILTIN_ENGINE_DEVICE } from '../../shared/run/runDevice';
import type { JobsRepository } from '../db/jobs';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import type { Scheduler } from '../jobs/scheduler';
import { followDerivedModelJobs } from './derivedModelJobs';
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
		jobs: JobsRepository
	) {
		followDerivedModelJobs(registry, scheduler, jobs, {
			kind: mergeJobKind,
			payloadSchema: mergeJobPayloadSchema,
			engine: 'builtin',
			suffix: () => 'merged',
			describe: (_payload, result) => savedModelInfoSchema.parse(result)
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
}
