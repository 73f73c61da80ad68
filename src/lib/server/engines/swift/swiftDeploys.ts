import path from 'node:path';
import type { SessionUser } from '../../../shared/auth';
import type { JobRecord } from '../../../shared/jobs';
import { swiftDeployHealthySchema, swiftDeployJobKind, swiftDeployJobPayloadSchema, swiftDeployRequestSchema, type SwiftDeployJobPayload, type SwiftDeployment } from '../../../shared/run/swiftToolJobs';
import type { WorkerEvent } from '../../../shared/workerProtocol';
import type { JobsRepository } from '../../db/jobs';
import { HttpError } from '../../http/httpError';
import type { Scheduler } from '../../jobs/scheduler';
import type { ModelRegistry } from '../../models/modelRegistry';
import type { EndpointService } from '../openai/endpointService';

export interface SwiftDeploysDeps {
	registry: ModelRegistry;
	scheduler: Scheduler;
	jobs: JobsRepository;
	endpoints: EndpointService;
	users: { get(id: string): SessionUser | null };
	dataDir: string;
	swift: { requireBin(): string; stopGraceMs: number; deployHealthTimeoutMs: number };
}

const activeStatuses: readonly string[] = ['queued', 'running'];

/** The name ms-swift serves a model under: its registry name as an identifier (`tuned-checkpoint-6`). */
function servedNameOf(name: string, id: string): string {
	return name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64) || id;
}

/**
 * `swift deploy` from the Models page: a long-running `swift-deploy` job (workers/jobs/swiftDeploy.ts) on a
 * GPU slot, or the CPU slot where there is none. Once its server answers /health, the endpoint named after
 * the model is registered (or, left from an earlier deploy, pointed at the new server again), so chat and
 * eval use it like any endpoint; when the job ends (stopped, failed) the endpoint is removed.
 * An endpoint is server configuration: deploying is for admins.
 */
export class SwiftDeploys {
	/** Endpoints registered by the deploys running now, by job id. */
	private readonly registered = new Map<string, string>();

	constructor(private readonly deps: SwiftDeploysDeps) {
		// A server starting runs no deploy yet: an endpoint an earlier deploy registered points at a server
		// this one does not run (stopped with it, or left behind by a crash), so it goes.
		for (const { id } of deps.endpoints.deployed()) deps.endpoints.delete(id);
		deps.scheduler.on('worker', (job, event) => {
			if (job.kind === swiftDeployJobKind) this.onWorkerEvent(job.id, event);
		});
	}

	start(id: string, body: unknown, user: SessionUser): JobRecord {
		const parsed = swiftDeployRequestSchema.safeParse(body ?? {});
		if (!parsed.success) throw HttpError.fromZod(parsed.error);
		const bin = this.deps.swift.requireBin();
		const model = this.deps.registry.require(id);
		const source = this.deps.registry.commandModel(model.id);
		if (!source) throw new HttpError('not_found', `No model "${id}".`);
		const running = this.list().find((d) => d.modelId === model.id && activeStatuses.includes(d.status));
		if (running) throw new HttpError('conflict', `"${model.name}" is already deployed (job ${running.jobId}); stop that deploy first.`);
		const gpus = this.deps.scheduler.devices().filter((d) => d.kind === 'cuda');
		const slot = gpus.find((d) => d.busyWithJob === null) ?? gpus[0];
		const payload: SwiftDeployJobPayload = {
			modelId: model.id,
			source,
			swift: { bin, stopGraceMs: this.deps.swift.stopGraceMs },
			options: { inferBackend: parsed.data.infer_backend, servedModelName: servedNameOf(model.name, model.id), healthTimeoutMs: this.deps.swift.deployHealthTimeoutMs },
			workDir: path.join(this.deps.dataDir, 'deploys', model.id)
		};
		// A GPU slot, a free one first, where there is one (a server holds it for as long as it serves); else the CPU slot.
		return this.deps.scheduler.enqueue({ kind: swiftDeployJobKind, payload, device: slot?.id ?? 'cpu' }, user.id);
	}

	/** Why a model cannot be deleted now: a deploy serves it (or is starting to). */
	holding(modelId: string): string | null {
		const running = this.list().find((d) => d.modelId === modelId && activeStatuses.includes(d.status));
		return running ? `ms-swift serves this model (deploy job ${running.jobId}); stop the deploy first.` : null;
	}

	/** The deploy jobs the queue remembers, newest first. */
	list(): SwiftDeployment[] {
		return this.deps.jobs.list().flatMap((job) => {
			if (job.kind !== swiftDeployJobKind) return [];
			const payload = swiftDeployJobPayloadSchema.safeParse(job.payload);
			return payload.success ? [{ jobId: job.id, modelId: payload.data.modelId, status: job.status, endpointId: this.registered.get(job.id) ?? null }] : [];
		});
	}

	private onWorkerEvent(jobId: string, event: WorkerEvent): void {
		if (event.type === 'progress') {
			const healthy = swiftDeployHealthySchema.safeParse(event.data);
			if (healthy.success) this.register(jobId, healthy.data.baseUrl, healthy.data.servedModelName);
		} else if (event.type === 'succeeded' || event.type === 'failed' || event.type === 'stopped') this.unregister(jobId);
	}

	private register(jobId: string, baseUrl: string, servedModelName: string): void {
		const job = this.deps.jobs.get(jobId);
		const payload = swiftDeployJobPayloadSchema.safeParse(job?.payload);
		const owner = job ? this.deps.users.get(job.userId) : null;
		if (!job || !payload.success || !owner) return;
		const model = this.deps.registry.resolve(payload.data.modelId);
		const modelName = model?.kind === 'saved' ? model.model.name : payload.data.modelId;
		const name = `${modelName} (swift deploy)`.slice(0, 100);
		const fields = { baseUrl, model: servedModelName, modalities: model?.kind === 'saved' ? model.model.modalities : ['text'], mediaStyle: 'vllm' };
		const existing = this.deps.endpoints.stored().find((e) => e.name === name);
		const endpoint = existing ? this.deps.endpoints.update(existing.id, fields, owner) : this.deps.endpoints.create({ name, ...fields }, owner);
		this.deps.endpoints.servedByDeploy(endpoint.id, jobId);
		this.registered.set(jobId, endpoint.id);
		void this.deps.endpoints.refreshHealth(true);
	}

	private unregister(jobId: string): void {
		const endpointId = this.registered.get(jobId);
		this.registered.delete(jobId);
		if (endpointId && this.deps.endpoints.stored().some((e) => e.id === endpointId)) this.deps.endpoints.delete(endpointId);
	}
}
