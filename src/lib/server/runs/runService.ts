import fs from 'node:fs';
import type { SessionUser } from '../../shared/auth';
import { runConfigSchema, type RunConfig } from '../../shared/run/runConfig';
import { runJobDevice, runSlotCount } from '../../shared/run/runDevice';
import { swiftTrainJobKind, type SwiftTrainJobPayload } from '../../shared/run/swiftJob';
import type { CommandPaths } from '../../shared/run/swiftCommand';
import { resumableStatuses, trainProgressSchema, type RunRecord, type RunStatus, type TrainJobPayload } from '../../shared/run/runRecord';
import type { StreamEvent } from '../../shared/realtime';
import type { RunEvent } from '../../shared/run/runEvents';
import { checkpointName, toPublicRun, toPublicRunEvent } from '../../shared/run/publicRun';
import type { WorkerEvent } from '../../shared/workerProtocol';
import type { RunEventsRepository } from '../db/runEvents';
import type { RunsRepository } from '../db/runs';
import { HttpError } from '../http/httpError';
import type { Scheduler } from '../jobs/scheduler';
import { MemoryStream, type ReplaySource } from '../realtime/memoryStream';
import { RunFiles, type CheckpointInfo } from './runFiles';
import { toSwiftLogRecord } from './swiftLogFormat';

export const trainJobKind = 'train';
/** The job kinds that train a run: the built-in engine's, and ms-swift's child process. */
const runJobKinds: readonly string[] = [trainJobKind, swiftTrainJobKind];

export interface ResolvedDataset {
	trainPath: string;
	valPath: string | null;
}

export type DatasetResolver = (datasetId: string) => ResolvedDataset | null;

interface Deps {
	runs: RunsRepository;
	events: RunEventsRepository;
	scheduler: Scheduler;
	dataDir: string;
	resolveDataset: DatasetResolver;
	publish: (event: StreamEvent) => void;
	/** The model registry's view of runs: where a run's `model` lives, and each checkpoint it saves. */
	models?: RunModels;
	/** The ms-swift engine: runs on it are refused where no `swift` executable was found. */
	swift?: SwiftRuns;
}

export interface RunModels {
	/** The saved model's folder, null for a preset or a hub id; throws a 400 naming `model` for a model the engine cannot train from. */
	resolveDir(model: string, engine: RunConfig['engine']): string | null;
	/** A saved model as ms-swift's `--model` / `--adapters` name it; null for a hub id. */
	commandModel(model: string): CommandPaths['savedModel'];
	checkpointSaved(run: RunRecord, step: number, dir: string): void;
}

export interface SwiftRuns {
	/** The executable; throws a 400 naming `engine` when there is none. */
	requireBin(): string;
	readonly stopGraceMs: number;
}

/**
 * Training runs: creation from a validated config, the job that trains them, and everything the job
 * reports. Each report is numbered, committed to SQLite and to the run's files, then sent to viewers,
 * in that order, so a point a browser has seen is never lost.
 */
export class RunService {
	/** Which run each training job belongs to, so a metric report needs no lookup. */
	private readonly runIdByJob = new Map<string, string>();
	/** `runs:all`: a summary of every status or progress change, for the runs list. */
	readonly overview = new MemoryStream('runs:all', 500);

	constructor(private readonly deps: Deps) {
		deps.scheduler.on('started', (job, slotId) => {
			if (runJobKinds.includes(job.kind)) this.onStarted(job.id, slotId);
		});
		deps.scheduler.on('worker', (job, event) => {
			if (runJobKinds.includes(job.kind)) this.onWorkerEvent(job.id, job.kind, event);
		});
		deps.scheduler.on('cancelled', (job) => {
			if (runJobKinds.includes(job.kind)) this.onQueuedCancelled(job.id);
		});
	}

	/**
	 * At server start, before the queue moves: runs that were training when the server died, and queued
	 * runs left without a live job, become resumable and deletable.
	 */
	recoverAfterRestart(): void {
		const stale = this.deps.runs.markStaleInterrupted((status) =>
			status === 'running' ? 'The server stopped while this run was training.' : 'This run had no job in the queue; resume it to queue it again.'
		);
		for (const { id, error } of stale) this.emit(id, { type: 'status', data: { status: 'interrupted', error } });
		for (const run of this.deps.runs.list()) {
			if (run.lastCheckpoint && !fs.existsSync(run.lastCheckpoint)) {
				this.deps.runs.setCheckpoint(run.id, RunFiles.forRun(this.deps.dataDir, run.id).latestComplete()?.path ?? null);
			}
		}
	}

	list(): RunRecord[] {
		return this.deps.runs.list();
	}

	get(id: string): RunRecord {
		const run = this.deps.runs.get(id);
		if (!run) throw new HttpError('not_found', `No run "${id}".`);
		return run;
	}

	create(input: unknown, user: SessionUser): RunRecord {
		const parsed = runConfigSchema.safeParse(input);
		if (!parsed.success) throw HttpError.fromZod(parsed.error, 'run configuration');
		const config = parsed.data;
		// Everything that can refuse the run is checked before anything is stored.
		if (config.engine === 'swift') this.requireSwift();
		this.deps.models?.resolveDir(config.model, config.engine);
		const dataset = this.requireDataset(config);
		this.deps.scheduler.requireDevice(config.device, runSlotCount(config));
		let runDir: string | null = null;
		try {
			const run = this.deps.runs.atomically(() => {
				const created = this.deps.runs.create({ name: config.name, ownerId: user.id, config });
				const files = RunFiles.forRun(this.deps.dataDir, created.id);
				runDir = files.dir;
				files.create({ ...config, dataset_path: dataset.trainPath, val_dataset_path: dataset.valPath, output_dir: files.dir });
				this.startJob(created.id, config, user.id, null);
				return created;
			});
			return this.get(run.id);
		} catch (error) {
			if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
			throw error;
		}
	}

	stop(id: string): RunRecord {
		const run = this.get(id);
		if (!run.jobId || (run.status !== 'queued' && run.status !== 'running')) {
			throw new HttpError('conflict', `Run "${run.name}" is ${run.status}; only queued or running runs can be stopped.`);
		}
		this.deps.scheduler.cancel(run.jobId);
		return this.get(id);
	}

	resume(id: string, user: SessionUser): RunRecord {
		const run = this.get(id);
		if (!resumableStatuses.includes(run.status)) {
			throw new HttpError('conflict', `Run "${run.name}" is ${run.status}; only stopped, interrupted or failed runs can resume.`);
		}
		this.requireDataset(run.config);
		if (run.config.engine === 'swift') this.requireSwift();
		// The disk is the truth: a stalled server may have recorded a checkpoint that rotation removed since.
		const checkpoint = RunFiles.forRun(this.deps.dataDir, id).latestComplete()?.path ?? null;
		if (checkpoint !== run.lastCheckpoint) this.deps.runs.setCheckpoint(id, checkpoint);
		this.startJob(run.id, run.config, user.id, checkpoint);
		return this.get(id);
	}

	delete(id: string): void {
		const run = this.get(id);
		if (run.status === 'running' || run.status === 'queued') {
			throw new HttpError('conflict', `Stop run "${run.name}" before deleting it.`);
		}
		this.deps.runs.delete(id);
		this.deps.events.forget(id);
		RunFiles.forRun(this.deps.dataDir, id).remove();
	}

	checkpoints(id: string): CheckpointInfo[] {
		return RunFiles.forRun(this.deps.dataDir, id).checkpoints();
	}

	/** At most `limit` events after a sequence number, oldest first, and whether more follow: the run page's history. */
	historyPage(id: string, afterSeq: number, limit: number): { events: StreamEvent[]; more: boolean } {
		this.get(id);
		const events = this.deps.events.page(id, afterSeq, limit + 1);
		const more = events.length > limit;
		return { events: (more ? events.slice(0, limit) : events).map(toPublicRunEvent), more };
	}

	/** The replay source of the `run:<id>` stream. */
	stream(id: string): ReplaySource | null {
		if (!this.deps.runs.get(id)) return null;
		return { replay: (afterSeq, limit) => this.deps.events.page(id, afterSeq, limit).map(toPublicRunEvent), lastSeq: () => this.deps.events.lastSeq(id) };
	}

	private requireDataset(config: RunConfig) {
		const dataset = this.deps.resolveDataset(config.dataset);
		if (!dataset) throw new HttpError('invalid_request', `No dataset "${config.dataset}".`, { dataset: 'Unknown dataset' });
		const valPath = config.val_dataset ? (this.deps.resolveDataset(config.val_dataset)?.trainPath ?? null) : dataset.valPath;
		if (config.val_dataset && !valPath) throw new HttpError('invalid_request', `No dataset "${config.val_dataset}".`, { val_dataset: 'Unknown dataset' });
		return { trainPath: dataset.trainPath, valPath };
	}

	private requireSwift(): SwiftRuns {
		if (!this.deps.swift) throw new HttpError('invalid_request', 'The swift engine is not configured on this server.', { engine: 'ms-swift is not installed' });
		this.deps.swift.requireBin();
		return this.deps.swift;
	}

	private startJob(runId: string, config: RunConfig, userId: string, resumeFrom: string | null): void {
		const dataset = this.requireDataset(config);
		const payload: TrainJobPayload = {
			runId,
			runDir: RunFiles.forRun(this.deps.dataDir, runId).dir,
			datasetPath: dataset.trainPath,
			valDatasetPath: dataset.valPath,
			resumeFrom,
			modelDir: this.deps.models?.resolveDir(config.model, config.engine) ?? null,
			config
		};
		const job = config.engine === 'swift' ? this.enqueueSwift(payload, config, userId) : this.deps.scheduler.enqueue({ kind: trainJobKind, payload, device: runJobDevice(config) }, userId);
		this.deps.runs.attachJob(runId, job.id);
		this.runIdByJob.set(job.id, runId);
		this.emit(runId, { type: 'status', data: { status: 'queued' } });
	}

	/** A swift run's job: the server names the executable; ms-swift's `--model`/`--adapters` come from the registry. */
	private enqueueSwift(base: TrainJobPayload, config: RunConfig, userId: string) {
		const swift = this.requireSwift();
		const payload: SwiftTrainJobPayload = {
			...base,
			swift: { bin: swift.requireBin(), stopGraceMs: swift.stopGraceMs },
			savedModel: this.deps.models?.commandModel(config.model) ?? null
		};
		return this.deps.scheduler.enqueue({ kind: swiftTrainJobKind, payload, device: runJobDevice(config), slotCount: runSlotCount(config) }, userId);
	}

	private onStarted(jobId: string, slotId: string): void {
		const run = this.deps.runs.findByJob(jobId);
		if (!run) return;
		this.deps.runs.markStarted(run.id, slotId);
		this.emit(run.id, { type: 'status', data: { status: 'running', device: slotId } });
	}

	private onQueuedCancelled(jobId: string): void {
		const run = this.deps.runs.findByJob(jobId);
		if (!run) return;
		this.finish(run.id, 'cancelled');
	}

	private runIdOf(jobId: string): string | null {
		const known = this.runIdByJob.get(jobId);
		if (known) return known;
		const run = this.deps.runs.findByJob(jobId);
		if (run) this.runIdByJob.set(jobId, run.id);
		return run?.id ?? null;
	}

	private onWorkerEvent(jobId: string, kind: string, event: WorkerEvent): void {
		const runId = this.runIdOf(jobId);
		if (!runId) return;
		const run = { id: runId };
		const files = RunFiles.forRun(this.deps.dataDir, run.id);
		switch (event.type) {
			case 'progress': {
				const progress = trainProgressSchema.safeParse(event.data);
				if (!progress.success) return;
				const report = progress.data;
				if (report.kind === 'metrics') {
					const { metrics } = report;
					// A swift run's output folder is its run folder, and ms-swift writes its own logging.jsonl
					// there (swiftTrain.ts); the console adds to that file only for built-in runs, so the two
					// never interleave and the file stays exactly what ms-swift wrote.
					if (kind !== swiftTrainJobKind) files.appendLogRecord(toSwiftLogRecord(metrics));
					this.deps.runs.recordProgress(run.id, { step: metrics.step, maxSteps: metrics.max_steps ?? null, remainingMs: metrics.remaining_ms ?? null });
					this.emit(run.id, { type: 'metrics', data: metrics });
				} else if (report.kind === 'checkpoint') {
					this.deps.runs.setCheckpoint(run.id, report.path);
					this.emit(run.id, { type: 'checkpoint', data: { step: report.step, name: checkpointName(report.path) } });
					const saved = this.deps.runs.get(run.id);
					if (saved) this.deps.models?.checkpointSaved(saved, report.step, report.path);
				} else {
					// A restart from a checkpoint behind the last logged step (or from scratch) redraws the
					// curve from there: viewers drop the points after it.
					const loggedStep = this.deps.runs.get(run.id)?.step ?? 0;
					this.deps.runs.setPlan(run.id, report.maxSteps);
					if (report.startStep < loggedStep) this.emit(run.id, { type: 'status', data: { status: 'running', resumedFromStep: report.startStep } });
				}
				break;
			}
			case 'log':
				files.appendLogLine(event.line);
				this.emit(run.id, { type: 'log', data: { line: event.line } });
				break;
			case 'succeeded':
				this.runIdByJob.delete(jobId);
				this.finish(run.id, 'succeeded');
				break;
			case 'stopped':
				this.runIdByJob.delete(jobId);
				this.finish(run.id, 'stopped');
				break;
			case 'failed':
				this.runIdByJob.delete(jobId);
				files.appendLogLine(`[error] ${event.error}`);
				this.finish(run.id, 'failed', event.error);
				break;
		}
	}

	private finish(runId: string, status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): void {
		this.deps.runs.finish(runId, status, error);
		this.emit(runId, { type: 'status', data: error ? { status, error } : { status } });
	}

	private emit(runId: string, event: RunEvent): void {
		// Stored as viewers see it, so history, replay and live events all show the same thing.
		const { type, data } = toPublicRunEvent({ stream: '', seq: 0, at: 0, ...event });
		this.deps.publish(this.deps.events.append(runId, type, data));
		if (event.type === 'status' || event.type === 'metrics') {
			const run = this.deps.runs.get(runId);
			if (run) {
				const { config: _config, ...summary } = toPublicRun(run);
				this.deps.publish(this.overview.next('run', summary));
			}
		}
	}
}
