import type { Server as HttpServer } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { heartbeatStream } from '../shared/realtime';
import { ApiKeyService } from './auth/apiKeys';
import { AuthService } from './auth/authService';
import { createLucia } from './auth/lucia';
import { SessionAdapter } from './auth/sessionAdapter';
import { SessionEvents } from './auth/sessionEvents';
import { UserAdmin } from './auth/userAdmin';
import type { ServerConfig } from './config';
import { setAppContext, type AppContext } from './context';
import { openDatabase } from './db/database';
import { ApiKeysRepository } from './db/apiKeys';
import { DatasetsRepository } from './db/datasets';
import { JobsRepository } from './db/jobs';
import { ModelsRepository } from './db/models';
import { RunEventsRepository } from './db/runEvents';
import { RunsRepository } from './db/runs';
import { SessionsRepository } from './db/sessions';
import { UsersRepository } from './db/users';
import { discoverDevices } from './jobs/deviceInventory';
import { DeviceSlot } from './jobs/deviceSlot';
import { Scheduler } from './jobs/scheduler';
import { EvalsRepository } from './db/evals';
import { EndpointsRepository } from './db/endpoints';
import { EndpointEngine } from './engines/openai/endpointEngine';
import { EndpointService } from './engines/openai/endpointService';
import { evalImportRoute } from './eval/evalImportRoute';
import { EvalService } from './eval/evalService';
import { Generations } from './inference/generations';
import { InferenceService } from './inference/inferenceService';
import { apiMediaDir } from './inference/openai/requestMedia';
import { InferenceLanes } from './inference/inferenceLanes';
import { InferenceThread } from './inference/inferenceThread';
import { ModelExports } from './inference/modelExports';
import { ModelInspector } from './models/modelInspector';
import { describeSwiftCheckpoint } from './engines/swift/swiftCheckpoint';
import { SwiftEngine } from './engines/swift/swiftEngine';
import { SwiftDeploys } from './engines/swift/swiftDeploys';
import { SwiftExports } from './engines/swift/swiftExports';
import { modelImportRoute } from './models/modelImportRoute';
import { ModelMerges } from './models/modelMerges';
import { ModelRegistry } from './models/modelRegistry';
import { RealtimeHub } from './realtime/hub';
import { MemoryStream } from './realtime/memoryStream';
import { MemoryStreamSet } from './realtime/memoryStreamSet';
import { StreamRegistry } from './realtime/streamRegistry';
import { resolveStoredDataset } from './runs/datasetPaths';
import { RunService } from './runs/runService';
import type { SessionUser } from '../shared/auth';
import { withoutServerPaths } from '../shared/jobs';
import { DEFAULT_EXTRACTION_LIMITS } from './datasets/archive/extractArchive';
import { DatasetCatalog } from './datasets/catalog/datasetCatalog';
import { datasetPaths } from './datasets/store';
import { dirBytes } from './storage/dirBytes';
import { UserQuota } from './storage/userQuota';
import { datasetUploadRoute } from './datasets/http/datasetUploadRoute';
import { ensureDemoDatasets } from './demo/demoDatasets';
import { readVersion } from './version';
import { createUploadMiddleware, type Middleware } from './uploads/uploadRoutes';
import { UploadStore } from './uploads/uploadStore';
import { ChatsRepository } from './db/chats';
import { ChatMedia } from './chat/chatMedia';
import { ChatService } from './chat/chatService';
import { ChatFeedback } from './chat/chatFeedback';
import { DatasetAppender } from './datasets/catalog/datasetAppender';

export interface AppOptions {
	/** The device worker module for every slot (default `workers/device-worker.ts`); benchmarks swap it. */
	deviceWorker?: string;
	/** The inference worker module (default `workers/inference-worker.ts`). */
	inferenceWorker?: string;
}

export interface RunningApp {
	context: AppContext;
	uploadMiddleware: Middleware;
	close(): Promise<void>;
}

/**
 * The composition root: opens the database, wires auth, the realtime hub, uploads and the device
 * workers onto an http server, and publishes the services for SvelteKit's handlers.
 */
export async function startApp(config: ServerConfig, httpServer: HttpServer, options: AppOptions = {}): Promise<RunningApp> {
	const db = openDatabase(path.join(config.dataDir, 'swiftboard.db'));
	const users = new UsersRepository(db);
	const sessions = new SessionsRepository(db);
	const jobs = new JobsRepository(db);
	const sessionEvents = new SessionEvents();
	const auth = new AuthService(createLucia(new SessionAdapter(sessions, users, sessionEvents)), users);
	sessions.deleteExpired();

	const streams = new StreamRegistry();
	const hub = new RealtimeHub(httpServer, auth, streams, config.origin);
	// An ended session closes its sockets at once: nothing keeps streaming to a signed-out user.
	sessionEvents.on('ended', (end) => hub.disconnectSessions(end));

	const heartbeat = new MemoryStream(heartbeatStream);
	streams.register({ kind: 'server', capability: 'read', open: (id) => (id === 'heartbeat' ? heartbeat : null) });

	const jobStreams = new MemoryStreamSet('job');
	streams.register({ kind: 'job', capability: 'read', open: (id) => (jobs.get(id) ? jobStreams.get(id) : null) });

	const slots = (await discoverDevices()).map((spec) => new DeviceSlot(spec, options.deviceWorker));
	const scheduler = new Scheduler(jobs, slots, (jobId, type, data) =>
		hub.publish(jobStreams.get(jobId).next(type, withoutServerPaths(data))));

	const inspector = new ModelInspector();
	const swiftEngine = new SwiftEngine(config.swift);
	const models = new ModelRegistry({
		models: new ModelsRepository(db),
		dataDir: config.dataDir,
		describe: (dir) => inspector.describe(dir),
		describeSwift: describeSwiftCheckpoint,
		listRuns: () => runService.list(),
		userName: (id) => users.get(id)?.username ?? null,
		heldByJob: (id): string | null => swiftDeploys.holding(id)
	});
	const runService: RunService = new RunService({
		runs: new RunsRepository(db),
		events: new RunEventsRepository(db),
		scheduler,
		dataDir: config.dataDir,
		resolveDataset: (id) => resolveStoredDataset(db, config.dataDir, id),
		publish: (event) => hub.publish(event),
		swift: { requireBin: () => swiftEngine.requireBin(), stopGraceMs: config.swift.stopGraceMs },
		models: {
			resolveDir: (id, engine) => models.runModelDir(id, engine),
			commandModel: (id) => models.commandModel(id),
			checkpointSaved: (run, step, dir) => void models.registerCheckpoint(run, step, dir)
		}
	});
	const modelMerges = new ModelMerges(models, scheduler, jobs);
	const endpoints = new EndpointService(new EndpointsRepository(db), config.endpoints);
	const endpointEngine = new EndpointEngine(endpoints);
	const swiftDeploys: SwiftDeploys = new SwiftDeploys({ registry: models, scheduler, jobs, endpoints, users, dataDir: config.dataDir, swift: { requireBin: () => swiftEngine.requireBin(), ...config.swift } });
	const swiftExports = new SwiftExports({ registry: models, scheduler, jobs, datasets: new DatasetsRepository(db), dataDir: config.dataDir, swift: { requireBin: () => swiftEngine.requireBin(), stopGraceMs: config.swift.stopGraceMs } });
	streams.register({ kind: 'run', capability: 'read', open: (id) => runService.stream(id) });
	const evals = new EvalService({
		evals: new EvalsRepository(db),
		datasets: new DatasetsRepository(db),
		models,
		scheduler,
		runs: runService,
		dataDir: config.dataDir,
		publish: (event) => hub.publish(event),
		swift: { requireBin: () => swiftEngine.requireBin(), stopGraceMs: config.swift.stopGraceMs },
		endpoints: { service: endpoints, engine: endpointEngine }
	});
	streams.register({ kind: 'eval', capability: 'read', open: (id) => evals.stream(id) });
	streams.register({ kind: 'runs', capability: 'read', open: (id) => (id === 'all' ? runService.overview : null) });

	// Inline media of /api/v1 requests a crash cut short.
	fs.rmSync(apiMediaDir(config.dataDir), { recursive: true, force: true });
	const datasets = new DatasetsRepository(db);
	const uploads = new UploadStore(path.join(config.dataDir, 'uploads', 'tmp'));

	const modelExports = new ModelExports(config.dataDir, models, scheduler, jobs);
	// Serving runs beside the slots' job workers (chat answers while a run trains): on the first GPU
	// slot when there is one (CUDA if this onnxruntime has it, else the CPU), otherwise the CPU.
	// On the CPU, one lane (thread) per core the setting allows; a GPU serves every stream from one.
	const servingSlot = slots.find((s) => s.spec.kind === 'cuda')?.id ?? 'cpu';
	const laneCount = servingSlot === 'cpu' ? config.inference.lanes : 1;
	const maxSessionMb = config.inference.cacheMb / laneCount;
	const lanes = new InferenceLanes(laneCount, () => new InferenceThread({ slotId: servingSlot, maxSessionMb }, options.inferenceWorker));
	const inference = new InferenceService(models, modelExports, lanes, config.inference, {
		endpoints,
		engine: endpointEngine,
		// Endpoints batch on their own servers: more at once than the local worker, the same queue bound.
		limits: { concurrent: config.inference.concurrent * 4, maxQueued: config.inference.maxQueued }
	});
	const generations = new Generations(inference, uploads, (event) => hub.publish(event), config.inference.perUserPerMinute);
	generations.register(streams);
	const stopUploadSweep = uploads.sweepPeriodically(config.uploadTtlMs);
	const quota = new UserQuota(config.userQuotaBytes, async (userId) => {
		let used = await uploads.usage(userId);
		for (const dataset of datasets.list()) if (dataset.ownerId === userId) used += await dirBytes(datasetPaths(config.dataDir, dataset.id).dir);
		return used;
	});
	const datasetCatalog = new DatasetCatalog(
		datasets,
		config.dataDir,
		(id) =>
			runService.list().some((r) => (r.status === 'queued' || r.status === 'running') && (r.config.dataset === id || r.config.val_dataset === id)) ||
			evals.list().some((e) => (e.status === 'queued' || e.status === 'running') && e.datasetId === id),
		{
			quota,
			limits: {
				maxRecordBytes: config.maxRowBytes,
				extraction: { ...DEFAULT_EXTRACTION_LIMITS, maxTotalBytes: config.maxExtractBytes, maxExpansionRatio: config.maxExpansionRatio }
			}
		}
	);
	const partialImports = await datasetCatalog.sweepPartialImports();
	if (partialImports.length > 0) console.warn(`[datasets] removed ${partialImports.length} import(s) cut short: ${partialImports.join(', ')}`);
	const admitUpload = (user: SessionUser, bytes: number) => quota.require(user.id, bytes);
	const uploadMiddleware = createUploadMiddleware(
		{
			auth,
			tmpDir: path.join(config.dataDir, 'uploads', 'tmp'),
			configuredOrigin: config.origin,
			limits: { fileBytes: config.maxUploadBytes, files: 200, fields: 50, fieldBytes: 1024 * 1024 }
		},
		[
			{
				path: '/api/uploads',
				// Chat attachments arrive here too, and viewers may chat.
				capability: 'chat',
				admit: admitUpload,
				handle: async ({ user, files }) => {
					// A body sent without a length is only known once on disk.
					await quota.require(user.id, files.reduce((sum, f) => sum + f.size, 0));
					return { status: 201, body: { files: await Promise.all(files.map((f) => uploads.keep(f, user.id))) } };
				}
			},
			{ ...datasetUploadRoute(datasetCatalog, streams, (event) => hub.publish(event)), admit: admitUpload },
			{ ...modelImportRoute(models), admit: admitUpload },
			{ ...evalImportRoute(evals), admit: admitUpload }
		]
	);

	const chats = new ChatsRepository(db);
	const chat = new ChatService(chats, new ChatMedia(chats, uploads, path.join(config.dataDir, 'chat', 'media')));
	const chatFeedback = new ChatFeedback(chat, new DatasetAppender(datasets, config.dataDir));

	const context: AppContext = {
		config,
		version: readVersion(),
		startedAt: Date.now(),
		db,
		users,
		jobs,
		auth,
		apiKeys: new ApiKeyService(new ApiKeysRepository(db), users, config.apiKeyRequestsPerMinute),
		userAdmin: new UserAdmin(users, auth),
		hub,
		streams,
		scheduler,
		datasets,
		datasetCatalog,
		runs: runService,
		models,
		modelMerges,
		swiftExports,
		swiftDeploys,
		evals,
		uploads,
		chat,
		chatFeedback,
		inference,
		swift: swiftEngine,
		endpoints,
		modelExports,
		generations
	};
	setAppContext(context);
	runService.recoverAfterRestart();
	const modelsReady = models.registerMissing(runService.list().map((run) => ({ run, checkpoints: runService.checkpoints(run.id) })));
	scheduler.start();
	// In the background: the console is usable at once, and the demo appears when it is ready.
	const demoReady = config.demoDatasets
		? ensureDemoDatasets(config.dataDir, context.datasets).catch((error: unknown) => {
				console.error('The demo datasets could not be prepared:', error instanceof Error ? error.message : error);
			})
		: Promise.resolve();

	const heartbeatTimer =
		config.heartbeatMs > 0
			? setInterval(() => {
					const data = { uptimeS: Math.round(process.uptime()), rssMiB: Math.round(process.memoryUsage.rss() / 1048576) };
					hub.publish(heartbeat.next('heartbeat', data));
				}, config.heartbeatMs)
			: null;
	heartbeatTimer?.unref();

	let closed: Promise<void> | null = null;
	return {
		context,
		uploadMiddleware,
		close() {
			closed ??= (async () => {
				if (heartbeatTimer) clearInterval(heartbeatTimer);
				stopUploadSweep();
				await demoReady;
				await modelsReady;
				await scheduler.close();
				await inference.close();
				await inspector.close();
				await hub.close();
				setAppContext(undefined);
				db.close();
			})();
			return closed;
		}
	};
}
