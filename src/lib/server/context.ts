import type { ApiKeyService } from './auth/apiKeys';
import type { AuthService } from './auth/authService';
import type { ChatFeedback } from './chat/chatFeedback';
import type { ChatService } from './chat/chatService';
import type { UserAdmin } from './auth/userAdmin';
import type { ServerConfig } from './config';
import type { Db } from './db/database';
import type { DatasetCatalog } from './datasets/catalog/datasetCatalog';
import type { DatasetsRepository } from './db/datasets';
import type { JobsRepository } from './db/jobs';
import type { EndpointService } from './engines/openai/endpointService';
import type { EvalService } from './eval/evalService';
import type { Generations } from './inference/generations';
import type { InferenceService } from './inference/inferenceService';
import type { ModelExports } from './inference/modelExports';
import type { ModelMerges } from './models/modelMerges';
import type { SwiftDeploys } from './engines/swift/swiftDeploys';
import type { SwiftExports } from './engines/swift/swiftExports';
import type { ModelRegistry } from './models/modelRegistry';
import type { UsersRepository } from './db/users';
import type { Scheduler } from './jobs/scheduler';
import type { RealtimeHub } from './realtime/hub';
import type { StreamRegistry } from './realtime/streamRegistry';
import type { RunService } from './runs/runService';
import type { SwiftEngine } from './engines/swift/swiftEngine';
import type { UploadStore } from './uploads/uploadStore';

/** The services of one running server. Created once by `startApp`, read by route handlers. */
export interface AppContext {
	config: ServerConfig;
	version: string;
	startedAt: number;
	db: Db;
	users: UsersRepository;
	jobs: JobsRepository;
	auth: AuthService;
	apiKeys: ApiKeyService;
	userAdmin: UserAdmin;
	hub: RealtimeHub;
	streams: StreamRegistry;
	scheduler: Scheduler;
	datasets: DatasetsRepository;
	datasetCatalog: DatasetCatalog;
	runs: RunService;
	models: ModelRegistry;
	/** ms-swift as this server has it: the executable and its version. */
	swift: SwiftEngine;
	modelMerges: ModelMerges;
	/** `swift export` jobs started from the Models page. */
	swiftExports: SwiftExports;
	/** `swift deploy` jobs, each registered as an endpoint while it serves. */
	swiftDeploys: SwiftDeploys;
	evals: EvalService;
	uploads: UploadStore;
	chat: ChatService;
	chatFeedback: ChatFeedback;
	/** Chat generation from models' ONNX exports (the inference contract). */
	inference: InferenceService;
	/** Registered OpenAI-compatible endpoints (admin-managed; keys stay server-side). */
	endpoints: EndpointService;
	modelExports: ModelExports;
	/** The chat page's generations over REST and `gen:<id>` streams. */
	generations: Generations;
}

// SvelteKit's server bundle and the entry that starts the http server are separate module graphs,
// so the context is handed over on globalThis under a registered symbol.
const key = Symbol.for('swiftboard.appContext');
type Holder = { [key]?: AppContext };

export function setAppContext(context: AppContext | undefined): void {
	(globalThis as Holder)[key] = context;
}

export function appContext(): AppContext {
	const context = (globalThis as Holder)[key];
	if (!context) throw new Error('SwiftBoard services are not started: run the server through src/server.ts or `vite dev`.');
	return context;
}

export function hasAppContext(): boolean {
	return (globalThis as Holder)[key] !== undefined;
}
