import { z } from 'zod';

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const jobStatusSchema = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof jobStatusSchema>;

/** The smallest job kind: proves the queue, the scheduler and a device worker end to end. */
export const noopJobPayloadSchema = z.object({
	durationMs: z.number().int().min(0).max(60_000).default(100),
	steps: z.number().int().min(1).max(1000).default(5)
});

export const jobSubmissionSchema = z.object({
	kind: z.literal('noop'),
	payload: noopJobPayloadSchema.default({ durationMs: 100, steps: 5 }),
	/** `auto` lets the scheduler pick the first free slot. */
	device: z.string().default('auto')
});
export type JobSubmission = z.infer<typeof jobSubmissionSchema>;

export interface JobRecord {
	id: string;
	kind: string;
	status: JobStatus;
	device: string;
	assignedDevice: string | null;
	/** Device slots the job holds while it runs: its own and, for a run on several GPUs, the GPUs after it. */
	slotCount: number;
	payload: unknown;
	result: unknown;
	error: string | null;
	progress: number;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number | null;
	userId: string;
	/** The owner's username, for display. */
	userName: string | null;
}

/** A value that is a whole path on the server: `/…`, `~/…` or `C:\…`. */
const SERVER_PATH = /^(?:\/|~\/|[A-Za-z]:[\\/])/;
/** Payload fields that hold a secret. */
const SECRET_KEYS = new Set(['apiKey']);
/** Absolute paths inside a message (e.g. an ENOENT from a worker); each is cut to its last part. */
const EMBEDDED_PATH = /(?<![\w:/.])(?:[A-Za-z]:)?(?:[\\/][^\s'"`\\/]+){2,}/g;

function scrubMessage(text: string): string {
	return text.replace(EMBEDDED_PATH, (found) => found.split(/[\\/]/).at(-1) ?? '');
}

/**
 * Payloads and results are written for the workers and carry the server's file paths; no answer or
 * event may show them. Fields holding a path or a secret are dropped, paths inside messages cut to their file name.
 */
export function withoutServerPaths(value: unknown): unknown {
	if (typeof value === 'string') return scrubMessage(value);
	if (Array.isArray(value)) return value.filter((v) => typeof v !== 'string' || !SERVER_PATH.test(v)).map(withoutServerPaths);
	if (typeof value !== 'object' || value === null) return value;
	const kept: Record<string, unknown> = {};
	for (const [key, field] of Object.entries(value)) {
		if (typeof field === 'string' && SERVER_PATH.test(field)) continue;
		// An endpoint's key travels to the worker that uses it and nowhere else.
		if (SECRET_KEYS.has(key)) continue;
		kept[key] = withoutServerPaths(field);
	}
	return kept;
}

/** A job as the API and the job streams show it. */
export function toPublicJob(job: JobRecord): JobRecord {
	return {
		...job,
		payload: withoutServerPaths(job.payload),
		result: withoutServerPaths(job.result),
		error: job.error === null ? null : scrubMessage(job.error)
	};
}
