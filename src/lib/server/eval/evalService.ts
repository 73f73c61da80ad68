import type { SessionUser } from '../../shared/auth';
import type { EvalReport } from '../../shared/eval';
import { evalJobKind, evalProgressSchema, evalRequestSchema, type EvalJobPayload, type EvalRecord, type EvalRequest, type EvalSampleView, type EvalSamplesQuery } from '../../shared/evalJob';
import { withoutServerPaths } from '../../shared/jobs';
import { BUILTIN_ENGINE_DEVICE } from '../../shared/run/runDevice';
import type { RunRecord } from '../../shared/run/runRecord';
import type { WorkerEvent } from '../../shared/workerProtocol';
import { requireOwnerOrAdmin } from '../auth/ownership';
import { datasetPaths } from '../datasets/store';
import type { DatasetsRepository } from '../db/datasets';
import type { EvalsRepository } from '../db/evals';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import type { Scheduler } from '../jobs/scheduler';
import type { ModelRegistry } from '../models/modelRegistry';
import type { MemoryStream } from '../realtime/memoryStream';
import { MemoryStreamSet } from '../realtime/memoryStreamSet';
import type { StreamEvent } from '../../shared/realtime';
import { endpointIdOf, endpointModelId } from '../../shared/endpoints';
import type { EndpointEngine } from '../engines/openai/endpointEngine';
import type { EndpointService } from '../engines/openai/endpointService';
import type { StoredEndpoint } from '../db/endpoints';
import { runEndpointEval } from './endpointEval';
import { EvalFiles } from './evalFiles';
import { filterSamples } from './evalSamples';
import { scoredReport, swiftReport, type FinishedReport } from './evalReports';
import { evalRowsFor } from './evalRowSelection';
import { headlineOf, sampleViews, tagScoresOf } from './evalScoring';
import { swiftEvalJobKind, swiftEvalRequestSchema, type SwiftEvalJobPayload } from '../../shared/run/swiftToolJobs';
import { resolveSwiftEvalSubject } from '../engines/swift/swiftEvalTarget';

export interface EvalServiceDeps {
	evals: EvalsRepository;
	datasets: DatasetsRepository;
	models: ModelRegistry;
	scheduler: Scheduler;
	runs: { get(id: string): RunRecord };
	dataDir: string;
	publish(event: StreamEvent): void;
	/** ms-swift for `swift eval` jobs: its executable (a 400 when there is none) and the stop grace. */
	swift: { requireBin(): string; stopGraceMs: number };
	/** Registered endpoints, a model source beside the registry's models (`endpoint:<id>`). */
	endpoints: { service: EndpointService; engine: EndpointEngine };
}

/** Job kinds whose progress and outcome become an eval: the built-in engine's, and ms-swift's `swift eval`. */
const evalKinds: readonly string[] = [evalJobKind, swiftEvalJobKind];

/**
 * Eval jobs from request to report: resolves the model and the rows, queues an `eval` job on the CPU slot
 * (workers/jobs/eval.ts) or, for an endpoint, asks it from the server (./endpointEval.ts), appends the
 * predictions each batch brings to `evals/<id>/predictions.jsonl`, streams progress on `eval:<id>`, and
 * at the end scores them into `report.json` and the `evals` row. A `swift eval` request (`engine: 'swift'`)
 * queues a `swift-eval` job (workers/jobs/swiftEval.ts) on any slot instead; its EvalScope reports become
 * `report.json` when it ends.
 */
export class EvalService {
	readonly streams = new MemoryStreamSet('eval');
	/** Endpoint evals in progress (they have no device job), by eval id. */
	private readonly endpointRuns = new Map<string, AbortController>();

	constructor(private readonly deps: EvalServiceDeps) {
		deps.scheduler.on('started', (job) => {
			if (evalKinds.includes(job.kind)) this.onStarted(job.id);
		});
		deps.scheduler.on('worker', (job, event) => {
			if (evalKinds.includes(job.kind)) this.onWorkerEvent(job.id, event);
		});
		deps.scheduler.on('cancelled', (job) => {
			if (evalKinds.includes(job.kind)) this.finishByJob(job.id, 'cancelled', null);
		});
		const failed = deps.evals.markUnfinishedFailed();
		if (failed > 0) console.warn(`[evals] ${failed} eval(s) were cut short by a restart: marked failed`);
	}

	list(): EvalRecord[] {
		return this.deps.evals.list();
	}

	get(id: string): EvalRecord {
		const record = this.deps.evals.get(id);
		if (!record) throw new HttpError('not_found', `No eval "${id}".`);
		return record;
	}

	files(id: string): EvalFiles {
		return new EvalFiles(this.deps.dataDir, this.get(id).id);
	}

	report(id: string): EvalReport | null {
		return this.files(id).readReport();
	}

	/** The report's samples joined with their prompts and media, filtered and paged. */
	samples(id: string, query: EvalSamplesQuery): { samples: EvalSampleView[]; total: number } {
		const files = this.files(id);
		const report = files.readReport();
		if (!report) throw new HttpError('conflict', 'The eval has no report yet; its samples appear when it finishes.');
		return filterSamples(report, sampleViews(report, files.readPredictions()), query);
	}

	/** The dataset row of each sample (by report index), for pairing samples across reports; empty for imports. */
	sampleRows(id: string): number[] {
		return this.files(id)
			.readPredictions()
			.map((p) => p.row);
	}

	stream(id: string): MemoryStream | null {
		return this.deps.evals.get(id) ? this.streams.get(id) : null;
	}

	start(body: unknown, user: SessionUser): EvalRecord {
		if (typeof body === 'object' && body !== null && 'engine' in body && body.engine === 'swift') return this.startSwift(body, user);
		const parsed = evalRequestSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error);
		const request = parsed.data;
		const endpointId = endpointIdOf(request.model);
		if (endpointId !== null) return this.startOnEndpoint(request, endpointId, user);
		const model = this.deps.models.resolve(request.model);
		if (!model) throw new HttpError('invalid_request', `No model "${request.model}".`, { model: 'Unknown model' });
		if (model.kind === 'preset') throw new HttpError('invalid_request', `"${request.model}" is an untrained preset; evaluate a saved model (a checkpoint, a merged or an imported model).`, { model: 'Choose a saved model' });
		const stored = this.deps.models.requireBuiltin(model.model, 'evaluate');
		const run = request.runId ? this.deps.runs.get(request.runId) : null;
		const { datasetId, selection } = evalRowsFor(request, run, this.deps.datasets);
		const dataset = this.deps.datasets.get(datasetId);
		if (!dataset) throw new HttpError('invalid_request', `No dataset "${datasetId}".`, { dataset: 'Unknown dataset' });
		const id = newId();
		const files = new EvalFiles(this.deps.dataDir, id);
		const payload: EvalJobPayload = {
			evalId: id,
			modelDir: stored.path,
			datasetPath: datasetPaths(this.deps.dataDir, dataset.id).data,
			selection,
			limit: request.limit,
			maxNewTokens: request.max_new_tokens,
			batchSize: request.batch_size
		};
		files.create();
		this.deps.evals.insert({
			id,
			name: request.name ?? `${stored.name} on ${dataset.name}`,
			modelId: stored.id,
			modelName: stored.name,
			datasetId: dataset.id,
			datasetName: dataset.name,
			runId: run?.id ?? stored.runId,
			step: stored.step,
			status: 'queued',
			source: 'swiftboard',
			config: request,
			ownerId: user.id
		});
		// The built-in engine answers on the CPU, where its kernels run.
		return this.enqueue(id, files, { kind: evalJobKind, payload, device: BUILTIN_ENGINE_DEVICE }, user);
	}

	/** `swift eval` on a saved model or a registered endpoint: EvalScope datasets by name, on whichever slot is free. */
	private startSwift(body: unknown, user: SessionUser): EvalRecord {
		const parsed = swiftEvalRequestSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error);
		const request = parsed.data;
		const bin = this.deps.swift.requireBin();
		const subject = resolveSwiftEvalSubject(request.model, this.deps.models, this.deps.endpoints.service);
		const id = newId();
		const files = new EvalFiles(this.deps.dataDir, id);
		const payload: SwiftEvalJobPayload = {
			evalId: id,
			outputDir: files.swiftOutput,
			swift: { bin, stopGraceMs: this.deps.swift.stopGraceMs },
			target: subject.target,
			options: { backend: request.eval_backend, datasets: request.eval_dataset, limit: request.eval_limit }
		};
		files.create();
		const datasets = request.eval_dataset.join(', ');
		this.deps.evals.insert({
			id,
			name: request.name ?? `${subject.modelName} on ${datasets}`,
			modelId: subject.modelId,
			modelName: subject.modelName,
			datasetId: null,
			datasetName: datasets,
			runId: subject.runId,
			step: subject.step,
			status: 'queued',
			source: 'ms-swift',
			config: request,
			ownerId: user.id
		});
		return this.enqueue(id, files, { kind: swiftEvalJobKind, payload, device: 'auto' }, user);
	}

	private enqueue(id: string, files: EvalFiles, submission: { kind: string; payload: unknown; device: string }, user: SessionUser): EvalRecord {
		try {
			const job = this.deps.scheduler.enqueue(submission, user.id);
			this.deps.evals.setJob(id, job.id);
		} catch (error) {
			this.deps.evals.delete(id);
			files.remove();
			throw error;
		}
		this.publish(id, 'status', { status: 'queued' });
		return this.get(id);
	}

	/** An eval whose answers come from a registered endpoint: run here, `ENDPOINT_EVAL_CONCURRENCY` samples in flight. */
	private startOnEndpoint(request: EvalRequest, endpointId: string, user: SessionUser): EvalRecord {
		const endpoint = this.deps.endpoints.service.stored().find((e) => e.id === endpointId);
		if (!endpoint) throw new HttpError('invalid_request', `No endpoint "${endpointId}".`, { model: 'Unknown endpoint' });
		if (request.runId) throw new HttpError('invalid_request', 'An endpoint eval takes a dataset, not a run.', { runId: 'Choose a dataset' });
		const { datasetId, selection } = evalRowsFor(request, null, this.deps.datasets);
		const dataset = this.deps.datasets.get(datasetId);
		if (!dataset) throw new HttpError('invalid_request', `No dataset "${datasetId}".`, { dataset: 'Unknown dataset' });
		const id = newId();
		new EvalFiles(this.deps.dataDir, id).create();
		this.deps.evals.insert({
			id,
			name: request.name ?? `${endpoint.name} on ${dataset.name}`,
			modelId: request.model,
			modelName: `${endpoint.name} (${endpoint.model})`,
			datasetId: dataset.id,
			datasetName: dataset.name,
			runId: null,
			step: null,
			status: 'queued',
			source: 'swiftboard',
			config: request,
			ownerId: user.id
		});
		this.publish(id, 'status', { status: 'queued' });
		const controller = new AbortController();
		this.endpointRuns.set(id, controller);
		// After this answer: the caller records the eval before its first event.
		setImmediate(() => void this.runOnEndpoint(id, endpoint, { datasetPath: datasetPaths(this.deps.dataDir, dataset.id).data, selection, limit: request.limit, maxNewTokens: request.max_new_tokens }, controller));
		return this.get(id);
	}

	private async runOnEndpoint(id: string, endpoint: StoredEndpoint, job: Pick<EvalJobPayload, 'datasetPath' | 'selection' | 'limit' | 'maxNewTokens'>, controller: AbortController): Promise<void> {
		const { engine } = this.deps.endpoints;
		try {
			if (controller.signal.aborted) return this.finish(id, 'cancelled', null);
			this.deps.evals.progress(id, 0, 0);
			this.publish(id, 'status', { status: 'running' });
			const outcome = await runEndpointEval(
				job,
				{
					generate: (request, signal) => engine.generate(endpoint, { modelId: endpointModelId(endpoint.id), ...request }, { signal }),
					plan: (total) => {
						this.deps.evals.progress(id, 0, total);
						this.publish(id, 'progress', { done: 0, total });
					},
					predictions: (batch, done, total) => {
						new EvalFiles(this.deps.dataDir, id).appendPredictions(batch);
						this.deps.evals.progress(id, done, total);
						this.publish(id, 'progress', { done, total });
					},
					log: (line) => this.publish(id, 'log', { line })
				},
				controller.signal
			);
			if (outcome.status === 'succeeded') await this.complete(this.get(id), { seconds: outcome.seconds }, scoredReport, 'Scoring failed');
			else if (outcome.status === 'stopped') this.finish(id, 'cancelled', null);
			else this.finish(id, 'failed', outcome.error);
		} catch (error) {
			this.finish(id, 'failed', error instanceof Error ? error.message : String(error));
		} finally {
			this.endpointRuns.delete(id);
		}
	}

	cancel(id: string, user: SessionUser): EvalRecord {
		const record = this.get(id);
		requireOwnerOrAdmin({ ownerId: record.ownerId, label: `eval "${record.name}"` }, user);
		const onEndpoint = this.endpointRuns.get(id);
		if (onEndpoint) {
			onEndpoint.abort();
			return this.get(id);
		}
		if (!record.jobId || (record.status !== 'queued' && record.status !== 'running')) throw new HttpError('conflict', `Eval "${record.name}" is ${record.status}; only a queued or running eval can be cancelled.`);
		this.deps.scheduler.cancel(record.jobId);
		return this.get(id);
	}

	/** Deletes a report (cancelling its job first when it still runs) and its folder. */
	delete(id: string, user: SessionUser): void {
		const record = this.get(id);
		requireOwnerOrAdmin({ ownerId: record.ownerId, label: `eval "${record.name}"` }, user);
		this.endpointRuns.get(id)?.abort();
		if (record.jobId && (record.status === 'queued' || record.status === 'running')) this.deps.scheduler.cancel(record.jobId);
		this.deps.evals.delete(id);
		new EvalFiles(this.deps.dataDir, id).remove();
	}

	/** Stores imported reports (EvalScope, ms-swift) as finished evals owned by the importer. */
	addImported(reports: readonly EvalReport[], user: SessionUser): EvalRecord[] {
		return reports.map((report) => {
			const id = newId();
			new EvalFiles(this.deps.dataDir, id).writeReport(report);
			this.deps.evals.insert({ id, name: report.name, modelId: null, modelName: report.model, datasetId: null, datasetName: report.dataset, runId: null, step: null, status: 'imported', source: report.source, config: null, ownerId: user.id });
			const total = report.metrics[0]?.num ?? report.samples.length;
			this.deps.evals.finish(id, { status: 'imported', headline: headlineOf(report), tagScores: tagScoresOf(report), done: total, total });
			return this.get(id);
		});
	}

	private publish(id: string, type: string, data: unknown): void {
		this.deps.publish(this.streams.get(id).next(type, data));
	}

	private onStarted(jobId: string): void {
		const record = this.deps.evals.byJob(jobId);
		if (!record) return;
		this.deps.evals.progress(record.id, record.done, record.total);
		this.publish(record.id, 'status', { status: 'running' });
	}

	private onWorkerEvent(jobId: string, event: WorkerEvent): void {
		const record = this.deps.evals.byJob(jobId);
		if (!record) return;
		if (event.type === 'progress') {
			const report = evalProgressSchema.safeParse(event.data);
			if (!report.success) return;
			const data = report.data;
			if (data.kind === 'plan') this.deps.evals.progress(record.id, 0, data.total);
			else {
				new EvalFiles(this.deps.dataDir, record.id).appendPredictions(data.predictions);
				this.deps.evals.progress(record.id, data.done, data.total);
			}
			this.publish(record.id, 'progress', { done: data.kind === 'plan' ? 0 : data.done, total: data.total });
		} else if (event.type === 'log') this.publish(record.id, 'log', { line: withoutServerPaths(event.line) });
		else if (event.type === 'succeeded' && record.source === 'ms-swift') void this.complete(record, event.result, swiftReport, "Reading the swift eval's reports failed");
		else if (event.type === 'succeeded') void this.complete(record, event.result, scoredReport, 'Scoring failed');
		else if (event.type === 'stopped') this.finishByJob(jobId, 'cancelled', null);
		else if (event.type === 'failed') this.finishByJob(jobId, 'failed', event.error);
	}

	/** A finished eval's report written, and the eval marked succeeded with its headline figures (failed when the report cannot be made). */
	private async complete(record: EvalRecord, result: unknown, make: (record: EvalRecord, files: EvalFiles) => FinishedReport | Promise<FinishedReport>, failure: string): Promise<void> {
		try {
			const files = new EvalFiles(this.deps.dataDir, record.id);
			const { report, samples } = await make(record, files);
			files.writeReport(report);
			const seconds = typeof result === 'object' && result !== null && 'seconds' in result ? Number(result.seconds) : NaN;
			this.deps.evals.finish(record.id, {
				status: 'succeeded',
				headline: headlineOf(report),
				tagScores: tagScoresOf(report),
				samplesPerSecond: Number.isFinite(seconds) && seconds > 0 && samples > 0 ? samples / seconds : null,
				done: samples,
				total: samples
			});
			this.publish(record.id, 'status', { status: 'succeeded' });
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			this.deps.evals.finish(record.id, { status: 'failed', error: `${failure}: ${message}` });
			this.publish(record.id, 'status', { status: 'failed', error: message });
		}
	}

	private finishByJob(jobId: string, status: 'cancelled' | 'failed', error: string | null): void {
		const record = this.deps.evals.byJob(jobId);
		if (record) this.finish(record.id, status, error);
	}

	private finish(id: string, status: 'cancelled' | 'failed', error: string | null): void {
		const record = this.deps.evals.get(id);
		if (!record || (record.status !== 'queued' && record.status !== 'running')) return;
		this.deps.evals.finish(record.id, { status, error });
		this.publish(record.id, 'status', { status, error });
	}
}
