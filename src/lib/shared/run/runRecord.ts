import { z } from 'zod';
import type { RunConfig } from './runConfig';

export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'stopped', 'interrupted', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

/** Runs in these states may continue from their last checkpoint. */
export const resumableStatuses: readonly RunStatus[] = ['stopped', 'interrupted', 'failed'];

export interface RunRecord {
	id: string;
	name: string;
	ownerId: string;
	/** The owner's username, for display. */
	ownerName: string | null;
	config: RunConfig;
	status: RunStatus;
	jobId: string | null;
	device: string | null;
	step: number;
	maxSteps: number | null;
	progress: number;
	remainingMs: number | null;
	lastCheckpoint: string | null;
	error: string | null;
	createdAt: number;
	startedAt: number | null;
	finishedAt: number | null;
}

/**
 * One logging step as the engine reports it. Keys follow ms-swift's logging.jsonl where one exists
 * (`loss`, `token_acc`, `grad_norm`, `learning_rate`, `epoch`, `eval_loss`, `rewards/...`).
 */
export const trainMetricsSchema = z
	.object({
		step: z.number().int().min(0),
		max_steps: z.number().int().min(0).optional(),
		epoch: z.number().min(0),
		loss: z.number().optional(),
		token_acc: z.number().optional(),
		learning_rate: z.number().optional(),
		grad_norm: z.number().optional(),
		tokens_per_s: z.number().optional(),
		memory: z.number().optional(),
		elapsed_ms: z.number().min(0),
		remaining_ms: z.number().min(0).optional(),
		eval_loss: z.number().optional(),
		eval_token_acc: z.number().optional()
	})
	.catchall(z.number());
export type TrainMetrics = z.infer<typeof trainMetricsSchema>;

/** What a training job reports through the device worker's progress channel. */
export const trainProgressSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('metrics'), metrics: trainMetricsSchema }),
	z.object({ kind: z.literal('checkpoint'), step: z.number().int().min(0), path: z.string() }),
	z.object({ kind: z.literal('plan'), maxSteps: z.number().int().min(0), startStep: z.number().int().min(0) })
]);
export type TrainProgress = z.infer<typeof trainProgressSchema>;

/** The job payload the device worker's `train` runner receives. */
export const trainJobPayloadSchema = z.object({
	runId: z.string(),
	runDir: z.string(),
	datasetPath: z.string(),
	valDatasetPath: z.string().nullable(),
	resumeFrom: z.string().nullable(),
	/**
	 * The absolute directory of a saved model (a full model, a merged model or an adapter checkpoint)
	 * when the run's `model` names one; null when it names a built-in preset.
	 */
	modelDir: z.string().nullable().optional().default(null),
	config: z.record(z.string(), z.unknown())
});
export type TrainJobPayload = z.infer<typeof trainJobPayloadSchema>;
