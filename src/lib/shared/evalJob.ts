import { z } from 'zod';
import type { SwiftEvalRequest } from './run/swiftToolJobs';

/**
 * Eval jobs: the request a person sends, the payload a device worker gets, what the worker reports per
 * sample, and the record the list and report pages read. The report itself is `EvalReport` (./eval).
 */

export const evalJobKind = 'eval';

/** The text metrics an eval job may score (the eval core's `textMetricNames`). */
export const evalJobMetrics = ['accuracy', 'exact_match', 'choice_accuracy', 'token_f1', 'bleu', 'rouge_l', 'rouge_l_recall'] as const;
export const evalJobMetricSchema = z.enum(evalJobMetrics);
export type EvalJobMetric = z.infer<typeof evalJobMetricSchema>;

/** The most prompts the built-in runner packs into one forward: a bound on its memory. */
export const EVAL_BATCH_SIZE_MAX = 64;

/**
 * Prompts per packed forward unless a request says otherwise: the most allowed, since on the CPU
 * each step up keeps paying. On the demo model 64 answer 12-15% more samples per second than 16,
 * and about twice as many as one at a time (npm run bench -- eval).
 */
export const EVAL_BATCH_SIZE_DEFAULT = EVAL_BATCH_SIZE_MAX;

/** Which rows: the validation split (the default), the training rows, or every row. */
export const evalSplits = ['validation', 'train', 'all'] as const;
export const evalSplitSchema = z.enum(evalSplits);
export type EvalSplit = z.infer<typeof evalSplitSchema>;

export const evalRequestSchema = z
	.object({
		/** A saved model's id from the registry (a checkpoint, a merged or imported model). */
		model: z.string().min(1),
		/** A dataset id; with `runId` and no dataset, the run's own dataset. */
		dataset: z.string().min(1).optional(),
		/** Evaluate on the validation split the run held out (its ratio and seed), so numbers match its `eval_*` metrics. */
		runId: z.string().min(1).optional(),
		split: evalSplitSchema.default('validation'),
		metrics: z.array(evalJobMetricSchema).min(1).default(['accuracy', 'token_f1', 'rouge_l']),
		/** At most this many samples, taken from the start of the split; 0 = all. */
		limit: z.number().int().min(0).max(100_000).default(0),
		max_new_tokens: z.number().int().min(1).max(512).default(32),
		/** Greedy decoding (the only mode today; kept explicit so a report says how it was made). */
		greedy: z.literal(true).default(true),
		batch_size: z.number().int().min(1).max(EVAL_BATCH_SIZE_MAX).default(EVAL_BATCH_SIZE_DEFAULT),
		name: z.string().trim().min(1).max(200).optional()
	})
	.strict();
export type EvalRequest = z.infer<typeof evalRequestSchema>;

/**
 * Which rows a job asks: rows the server picked (a dataset's seeded hash split), a run's own shuffle split
 * (its ratio and seed, made the way its trainer made it), or every row.
 */
export const evalRowSelectionSchema = z.discriminatedUnion('method', [
	z.object({ method: z.literal('rows'), rows: z.array(z.number().int().nonnegative()) }),
	z.object({ method: z.literal('run-shuffle'), part: z.enum(['validation', 'train']), ratio: z.number().min(0).max(1), seed: z.number().int() }),
	z.object({ method: z.literal('all') })
]);
export type EvalRowSelection = z.infer<typeof evalRowSelectionSchema>;

export const evalJobPayloadSchema = z.object({
	evalId: z.string(),
	modelDir: z.string(),
	datasetPath: z.string(),
	selection: evalRowSelectionSchema,
	limit: z.number().int().min(0),
	maxNewTokens: z.number().int().min(1),
	batchSize: z.number().int().min(1)
});
export type EvalJobPayload = z.infer<typeof evalJobPayloadSchema>;

/** One generated answer as the worker reports it; the server scores it. */
export const evalPredictionSchema = z.object({
	/** Position of the row in the dataset's data.jsonl. */
	row: z.number().int().nonnegative(),
	prompt: z.string(),
	reference: z.string(),
	prediction: z.string(),
	images: z.array(z.string()).default([]),
	audios: z.array(z.string()).default([]),
	videos: z.array(z.string()).default([]),
	/** Natural-log probabilities of the reference tokens under the model, where computed. */
	logProbs: z.array(z.number()).optional(),
	latencyMs: z.number().nonnegative(),
	outputTokens: z.number().int().nonnegative()
});
export type EvalPrediction = z.infer<typeof evalPredictionSchema>;

/** A worker progress report: a batch of predictions, or the plan. */
export const evalProgressSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('plan'), total: z.number().int().nonnegative() }),
	z.object({ kind: z.literal('predictions'), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), predictions: z.array(evalPredictionSchema) })
]);
export type EvalProgress = z.infer<typeof evalProgressSchema>;

export const evalStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'imported'] as const;
export type EvalStatus = (typeof evalStatuses)[number];

export interface EvalHeadline {
	metric: string;
	score: number;
	range: 'fraction' | 'percent' | 'positive';
}

export interface EvalRecord {
	id: string;
	name: string;
	modelId: string | null;
	modelName: string;
	datasetId: string | null;
	datasetName: string;
	runId: string | null;
	/** The checkpoint step of the model, when it is a run's checkpoint (for the accuracy-vs-step curve). */
	step: number | null;
	status: EvalStatus;
	source: 'swiftboard' | 'evalscope' | 'ms-swift';
	/** The request it was started with: the built-in engine's, or a `swift eval` one (`engine: 'swift'`). */
	config: EvalRequest | SwiftEvalRequest | null;
	jobId: string | null;
	done: number;
	total: number;
	headline: EvalHeadline | null;
	/** Per-tag bucket scores of the headline metric, `{ "tag:question_type": { image_shape: 0.9 } }`, for curves. */
	tagScores: Record<string, Record<string, number>>;
	samplesPerSecond: number | null;
	error: string | null;
	ownerId: string | null;
	ownerName: string | null;
	createdAt: number;
	finishedAt: number | null;
}

/** One sample as the report page's table reads it: the report's sample plus what the prompt showed. */
export interface EvalSampleView {
	index: number;
	row: number | null;
	prompt: string;
	prediction: string;
	references: string[];
	extracted: string | null;
	tags: Record<string, string>;
	modalities: string[];
	media: { kind: 'image' | 'audio' | 'video'; file: string }[];
	scores: Record<string, number>;
}

export const evalSamplesQuerySchema = z.object({
	offset: z.coerce.number().int().min(0).default(0),
	limit: z.coerce.number().int().min(1).max(500).default(50),
	/** Pass/fail on the headline metric (or `metric`) against `threshold`. */
	outcome: z.enum(['all', 'pass', 'fail']).default('all'),
	threshold: z.coerce.number().default(0.99),
	metric: z.string().optional(),
	/** `key=value`, e.g. `question_type=image_shape` or `modality=audio`. */
	tag: z.string().optional(),
	q: z.string().max(200).optional()
});
export type EvalSamplesQuery = z.infer<typeof evalSamplesQuerySchema>;

