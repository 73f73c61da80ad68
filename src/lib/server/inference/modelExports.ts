import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GRAPHS_REVISION } from '../../engine/export/manifest';
import type { SessionUser } from '../../shared/auth';
import { exportJobKind, exportJobPayloadSchema, type ExportJobPayload, type ModelExportInfo } from '../../shared/inference';
import type { JobRecord } from '../../shared/jobs';
import { BUILTIN_ENGINE_DEVICE } from '../../shared/run/runDevice';
import { HttpError } from '../http/httpError';
import type { JobsRepository } from '../db/jobs';
import type { Scheduler } from '../jobs/scheduler';
import { folderFiles } from '../models/modelFolder';
import type { ModelRegistry } from '../models/modelRegistry';
import { isPresetModel } from '../models/presetModels';

/** Written by the export job (workers/jobs/export.ts) beside the graphs once they are all in place. */
const INFO_FILE = 'export.json';

/**
 * The ONNX exports models are served from: `exports/<modelId>/<fingerprint>/`, the fingerprint taken
 * from the model folder's files (names, sizes, mtimes), so a model changed on disk exports again. An
 * export is an `export` job on the CPU slot (the engine builds the graphs there); callers asking for
 * a model whose export is under way share that job.
 */
export class ModelExports {
	private readonly pending = new Map<string, { job: JobRecord; done: Promise<string> }>();
	private readonly waiters = new Map<string, { resolve(dir: string): void; reject(error: Error): void }>();

	constructor(
		private readonly dataDir: string,
		private readonly registry: ModelRegistry,
		private readonly scheduler: Scheduler,
		private readonly jobs: JobsRepository
	) {
		scheduler.on('worker', (job, event) => {
			if (job.kind !== exportJobKind) return;
			if (event.type === 'succeeded') this.settle(job.id, null);
			else if (event.type === 'failed') this.settle(job.id, `The export failed: ${event.error}`);
			else if (event.type === 'stopped') this.settle(job.id, 'The export was stopped.');
		});
		scheduler.on('cancelled', (job) => {
			if (job.kind === exportJobKind) this.settle(job.id, 'The export was cancelled.');
		});
	}

	/** The folder of a saved model's files; presets have none. */
	private modelDir(modelId: string): string {
		if (isPresetModel(modelId)) throw new HttpError('conflict', `"${modelId}" is a built-in preset with no trained weights: train it (or choose a checkpoint) to chat with it.`);
		return this.registry.requireBuiltin(this.registry.require(modelId), 'export or serve').path;
	}

	/** The model's files as they are, and the exporter's graph revision. */
	fingerprint(dir: string): string {
		const hash = createHash('sha256');
		hash.update(`graphs ${GRAPHS_REVISION}\n`);
		for (const file of folderFiles(dir).sort()) {
			const stat = fs.statSync(path.join(dir, file));
			hash.update(`${file}\0${stat.size}\0${Math.round(stat.mtimeMs)}\n`);
		}
		return hash.digest('hex').slice(0, 16);
	}

	private outDir(modelId: string, fingerprint: string): string {
		return path.join(this.dataDir, 'exports', modelId, fingerprint);
	}

	/** The current export of a model, when there is one for its files as they are now. */
	info(modelId: string): (ModelExportInfo & { dir: string }) | null {
		if (isPresetModel(modelId)) return null;
		const dir = this.outDir(modelId, this.fingerprint(this.modelDir(modelId)));
		try {
			return { ...(JSON.parse(fs.readFileSync(path.join(dir, INFO_FILE), 'utf8')) as ModelExportInfo), dir };
		} catch {
			return null;
		}
	}

	/** The export's folder, exporting first when needed (the caller waits for the job). */
	async ensure(modelId: string, userId: string): Promise<string> {
		const ready = this.info(modelId);
		if (ready) return ready.dir;
		return this.start(modelId, userId).done;
	}

	/** Starts (or joins) the export of a model: `POST /api/models/:id/export`. */
	request(modelId: string, user: SessionUser): { job: JobRecord | null; export: ModelExportInfo | null } {
		const ready = this.info(modelId);
		if (ready) {
			const { dir: _dir, ...info } = ready;
			return { job: null, export: info };
		}
		const pending = this.start(modelId, user.id);
		pending.done.catch(() => {});
		return { job: pending.job, export: null };
	}

	private start(modelId: string, userId: string): { job: JobRecord; done: Promise<string> } {
		const modelDir = this.modelDir(modelId);
		const outDir = this.outDir(modelId, this.fingerprint(modelDir));
		const running = this.pending.get(outDir);
		if (running) return running;
		const payload: ExportJobPayload = { modelId, modelDir, outDir };
		const job = this.scheduler.enqueue({ kind: exportJobKind, payload, device: BUILTIN_ENGINE_DEVICE }, userId);
		const done = new Promise<string>((resolve, reject) => this.waiters.set(job.id, { resolve, reject }));
		const entry = { job, done };
		this.pending.set(outDir, entry);
		return entry;
	}

	private settle(jobId: string, error: string | null): void {
		const payload = exportJobPayloadSchema.safeParse(this.jobs.get(jobId)?.payload);
		const waiter = this.waiters.get(jobId);
		this.waiters.delete(jobId);
		if (!payload.success) return;
		this.pending.delete(payload.data.outDir);
		if (error) {
			waiter?.reject(new HttpError('internal', error));
			return;
		}
		// Exports of the model's earlier files are not served again.
		const parent = path.dirname(payload.data.outDir);
		for (const old of fs.readdirSync(parent)) if (path.join(parent, old) !== payload.data.outDir) fs.rmSync(path.join(parent, old), { recursive: true, force: true });
		waiter?.resolve(payload.data.outDir);
	}
}
