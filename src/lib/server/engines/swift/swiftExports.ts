import fs from 'node:fs';
import type { SessionUser } from '../../../shared/auth';
import type { JobRecord } from '../../../shared/jobs';
import { swiftExportJobKind, swiftExportJobPayloadSchema, swiftExportRequestSchema, swiftExportSuffix, type SwiftExportJobPayload } from '../../../shared/run/swiftToolJobs';
import type { WorkerEvent } from '../../../shared/workerProtocol';
import type { DatasetsRepository } from '../../db/datasets';
import type { JobsRepository } from '../../db/jobs';
import { newId } from '../../db/ids';
import { datasetPaths } from '../../datasets/store';
import { HttpError } from '../../http/httpError';
import type { Scheduler } from '../../jobs/scheduler';
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
		deps.scheduler.on('worker', (job, event) => {
			if (job.kind === swiftExportJobKind) this.onWorkerEvent(job.id, event);
		});
		deps.scheduler.on('cancelled', (job) => {
			if (job.kind === swiftExportJobKind) this.discard(job.id);
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

	private onWorkerEvent(jobId: string, event: WorkerEvent): void {
		if (event.type === 'succeeded') this.register(jobId);
		else if (event.type === 'failed' || event.type === 'stopped') this.discard(jobId);
	}

	private payloadOf(jobId: string): { job: JobRecord; payload: SwiftExportJobPayload } | null {
		const job = this.deps.jobs.get(jobId);
		const payload = swiftExportJobPayloadSchema.safeParse(job?.payload);
		return job && payload.success ? { job, payload: payload.data } : null;
	}

	private register(jobId: string): void {
		const found = this.payloadOf(jobId);
		if (!found) return;
		const { job, payload } = found;
		let info;
		try {
			info = describeSwiftCheckpoint(payload.outDir);
		} catch (error) {
			console.error(`[models] swift export job ${jobId} wrote no model (${error instanceof Error ? error.message : error}); its folder is removed.`);
			this.discard(jobId);
			return;
		}
		const source = this.deps.registry.resolve(payload.sourceId);
		const from = source?.kind === 'saved' ? source.model : null;
		this.deps.registry.add(
			{
				id: payload.modelId,
				name: `${from?.name ?? payload.sourceId} (${swiftExportSuffix(payload.options)})`,
				// A merged or quantised full model: the registry's kind for a model made from another.
				kind: 'merged',
				runId: from?.runId ?? null,
				step: from?.step ?? null,
				baseModel: payload.sourceId,
				ownerId: job.userId,
				createdAt: Date.now()
			},
			info,
			'swift'
		);
	}

	private discard(jobId: string): void {
		const found = this.payloadOf(jobId);
		if (found) fs.rmSync(found.payload.outDir, { recursive: true, force: true });
	}
}
