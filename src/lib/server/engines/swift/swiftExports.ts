import type { SessionUser } from '../../../shared/auth';
import type { JobRecord } from '../../../shared/jobs';
import { swiftExportJobKind, swiftExportJobPayloadSchema, swiftExportRequestSchema, swiftExportSuffix, type SwiftExportJobPayload } from '../../../shared/run/swiftToolJobs';
import type { DatasetsRepository } from '../../db/datasets';
import type { JobsRepository } from '../../db/jobs';
import { newId } from '../../db/ids';
import { datasetPaths } from '../../datasets/store';
import { HttpError } from '../../http/httpError';
import type { Scheduler } from '../../jobs/scheduler';
import { followDerivedModelJobs } from '../../models/derivedModelJobs';
import type { ModelRegistry } from '../../models/modelRegistry';
import { describeSwiftCheckpoint } from './swiftCheckpoint';

export interface SwiftExportsDeps {
	registry: ModelRegistry;
	scheduler: Scheduler;
	jobs: JobsRepository;
	datasets: DatasetsRepository;
	dataDir: string;
	swift: { requireBin(): string; stopGraceMs: number };
}

/**
 * `swift export` from the Models page: a `swift-export` job (workers/jobs/swiftExport.ts) on whichever slot
 * is free writes the merged and/or quantised model into `models/<new id>/` (the only `--output_dir` it is
 * ever given); when it succeeds the folder becomes a registry entry on the swift engine, and when it fails
 * or is stopped the half-written folder is removed. Progress travels on the job's stream.
 */
export class SwiftExports {
	constructor(private readonly deps: SwiftExportsDeps) {
		followDerivedModelJobs(deps.registry, deps.scheduler, deps.jobs, {
			kind: swiftExportJobKind,
			payloadSchema: swiftExportJobPayloadSchema,
			engine: 'swift',
			suffix: (payload) => swiftExportSuffix(payload.options),
			describe: (payload) => describeSwiftCheckpoint(payload.outDir)
		});
	}

	start(id: string, body: unknown, user: SessionUser): JobRecord {
		const parsed = swiftExportRequestSchema.safeParse(body ?? {});
		if (!parsed.success) throw HttpError.fromZod(parsed.error);
		const request = parsed.data;
		const bin = this.deps.swift.requireBin();
		const stored = this.deps.registry.require(id);
		const source = this.deps.registry.commandModel(stored.id);
		if (!source) throw new HttpError('not_found', `No model "${id}".`);
		if (source.format === 'adapter' && !request.merge_lora) throw new HttpError('invalid_request', `"${stored.name}" is an adapter: ms-swift merges it into its base before exporting it.`, { merge_lora: 'An adapter is exported merged' });
		if (source.format === 'full' && request.quant_method === null) throw new HttpError('invalid_request', `"${stored.name}" is already a full model: choose a quantisation method to export it.`, { quant_method: 'Required for a full model' });
		let calibrationPath: string | null = null;
		if (request.calibration_dataset !== null) {
			const dataset = this.deps.datasets.get(request.calibration_dataset);
			if (!dataset) throw new HttpError('invalid_request', `No dataset "${request.calibration_dataset}".`, { calibration_dataset: 'Unknown dataset' });
			calibrationPath = datasetPaths(this.deps.dataDir, dataset.id).data;
		}
		const modelId = newId();
		const payload: SwiftExportJobPayload = {
			sourceId: stored.id,
			modelId,
			outDir: this.deps.registry.folderFor(modelId),
			source,
			swift: { bin, stopGraceMs: this.deps.swift.stopGraceMs },
			options: {
				mergeLora: source.format === 'adapter',
				quant: request.quant_method && request.quant_bits !== null ? { method: request.quant_method, bits: request.quant_bits } : null,
				calibrationPath
			}
		};
		return this.deps.scheduler.enqueue({ kind: swiftExportJobKind, payload, device: 'auto' }, user.id);
	}
}
