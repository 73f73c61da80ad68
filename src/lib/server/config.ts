import os from 'node:os';
import path from 'node:path';

export interface ServerConfig {
	port: number;
	host: string;
	dataDir: string;
	/** Public origin (scheme://host:port) when behind a proxy; used for Origin checks and secure cookies. */
	origin: string | null;
	maxUploadBytes: number;
	/** Largest JSONL line, JSON array element or CSV record an import reads; longer ones are refused unread. */
	maxRowBytes: number;
	/** An archive may unpack to at most this many times its own size, and at most `maxExtractBytes`. */
	maxExpansionRatio: number;
	maxExtractBytes: number;
	/** Disk each user may fill with datasets and kept uploads. */
	userQuotaBytes: number;
	/** Unclaimed uploads are removed after this long. */
	uploadTtlMs: number;
	/** Emit a heartbeat event every this many ms (0 disables). */
	heartbeatMs: number;
	/** Generate and import the demo datasets at start when they are missing. */
	demoDatasets: boolean;
	/** Requests one API key may send to /api/v1 per minute. */
	apiKeyRequestsPerMinute: number;
	/** Largest decoded media item (image, audio, video) in one /api/v1 request. */
	apiMediaBytes: number;
	/** Largest JSON request body; media sent inline make /api/v1 bodies large. */
	bodyBytes: number;
	/**
	 * ms-swift: the `swift` executable (null: search PATH), how long a stopped run may take to exit before
	 * SIGKILL, and how long `swift deploy` may take to load its model and answer /health.
	 */
	swift: { bin: string | null; stopGraceMs: number; deployHealthTimeoutMs: number };
	/** Serving: MB of ONNX graphs kept loaded, generations decoding at once, requests waiting beyond them. */
	inference: { cacheMb: number; concurrent: number; maxQueued: number; perUserPerMinute: number; lanes: number };
	/**
	 * Registered OpenAI-compatible endpoints: how long a server may take to answer a request (its status
	 * and headers), and to send the next piece of a streamed answer, before the request fails.
	 */
	endpoints: { responseTimeoutMs: number; idleTimeoutMs: number };
}

const MiB = 1024 * 1024;

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) {
		throw new Error(`${name} must be a positive number, got "${raw}"`);
	}
	return value;
}

export function readServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
	const origin = env.ORIGIN?.trim() || null;
	if (origin !== null && !/^https?:\/\/[^/]+$/.test(origin)) {
		throw new Error(`ORIGIN must look like "https://host[:port]" with no path, got "${origin}"`);
	}
	return {
		port: positiveNumber('PORT', env.PORT, 7860),
		host: env.HOST?.trim() || '0.0.0.0',
		dataDir: path.resolve(env.SWIFTBOARD_DATA_DIR?.trim() || './data'),
		origin,
		maxUploadBytes: Math.floor(positiveNumber('SWIFTBOARD_MAX_UPLOAD_MB', env.SWIFTBOARD_MAX_UPLOAD_MB, 4096) * MiB),
		maxRowBytes: Math.floor(positiveNumber('SWIFTBOARD_MAX_ROW_MB', env.SWIFTBOARD_MAX_ROW_MB, 16) * MiB),
		maxExpansionRatio: positiveNumber('SWIFTBOARD_MAX_EXPANSION_RATIO', env.SWIFTBOARD_MAX_EXPANSION_RATIO, 100),
		maxExtractBytes: Math.floor(positiveNumber('SWIFTBOARD_MAX_EXTRACT_GB', env.SWIFTBOARD_MAX_EXTRACT_GB, 64) * 1024 * MiB),
		userQuotaBytes: Math.floor(positiveNumber('SWIFTBOARD_USER_QUOTA_GB', env.SWIFTBOARD_USER_QUOTA_GB, 100) * 1024 * MiB),
		uploadTtlMs: Math.floor(positiveNumber('SWIFTBOARD_UPLOAD_TTL_HOURS', env.SWIFTBOARD_UPLOAD_TTL_HOURS, 24) * 3600_000),
		demoDatasets: env.SWIFTBOARD_DEMO_DATASETS !== '0',
		apiKeyRequestsPerMinute: positiveNumber('SWIFTBOARD_API_KEY_RPM', env.SWIFTBOARD_API_KEY_RPM, 60),
		apiMediaBytes: Math.floor(positiveNumber('SWIFTBOARD_API_MEDIA_MB', env.SWIFTBOARD_API_MEDIA_MB, 32) * MiB),
		bodyBytes: Math.floor(positiveNumber('SWIFTBOARD_MAX_BODY_MB', env.SWIFTBOARD_MAX_BODY_MB, 64) * MiB),
		swift: {
			bin: env.SWIFTBOARD_SWIFT_BIN?.trim() ? path.resolve(env.SWIFTBOARD_SWIFT_BIN.trim()) : null,
			stopGraceMs: Math.round(positiveNumber('SWIFTBOARD_SWIFT_STOP_GRACE_S', env.SWIFTBOARD_SWIFT_STOP_GRACE_S, 30) * 1000),
			deployHealthTimeoutMs: Math.round(positiveNumber('SWIFTBOARD_SWIFT_DEPLOY_HEALTH_TIMEOUT_S', env.SWIFTBOARD_SWIFT_DEPLOY_HEALTH_TIMEOUT_S, 900) * 1000)
		},
		inference: {
			cacheMb: positiveNumber('SWIFTBOARD_INFERENCE_CACHE_MB', env.SWIFTBOARD_INFERENCE_CACHE_MB, 2048),
			concurrent: Math.floor(positiveNumber('SWIFTBOARD_INFERENCE_CONCURRENT', env.SWIFTBOARD_INFERENCE_CONCURRENT, 8)),
			maxQueued: Math.floor(positiveNumber('SWIFTBOARD_INFERENCE_QUEUE', env.SWIFTBOARD_INFERENCE_QUEUE, 64)),
			perUserPerMinute: positiveNumber('SWIFTBOARD_GENERATIONS_PER_MINUTE', env.SWIFTBOARD_GENERATIONS_PER_MINUTE, 60),
			lanes: Math.max(1, Math.floor(positiveNumber('SWIFTBOARD_INFERENCE_LANES', env.SWIFTBOARD_INFERENCE_LANES, Math.min(os.availableParallelism(), 4))))
		},
		endpoints: {
			responseTimeoutMs: Math.round(positiveNumber('SWIFTBOARD_ENDPOINT_RESPONSE_TIMEOUT_S', env.SWIFTBOARD_ENDPOINT_RESPONSE_TIMEOUT_S, 30) * 1000),
			idleTimeoutMs: Math.round(positiveNumber('SWIFTBOARD_ENDPOINT_IDLE_TIMEOUT_S', env.SWIFTBOARD_ENDPOINT_IDLE_TIMEOUT_S, 120) * 1000)
		},
		heartbeatMs: env.SWIFTBOARD_HEARTBEAT_MS === '0' ? 0 : positiveNumber('SWIFTBOARD_HEARTBEAT_MS', env.SWIFTBOARD_HEARTBEAT_MS, 5000)
	};
}
