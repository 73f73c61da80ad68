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
