import { z } from 'zod';

/**
 * The eval report vocabulary shared by the browser, the server and the workers. One internal shape holds a
 * report whatever its origin (a SwiftBoard eval, an EvalScope report folder, ms-swift's `eval_result.jsonl`),
 * so the report page reads one thing. The groups mirror EvalScope's: metric -> categories -> subsets, with
 * `score` the micro mean (sample-weighted) and `macroScore` the macro mean (each part counts once).
 */

export const evalModalities = ['text', 'image', 'audio', 'video'] as const;
export const evalModalitySchema = z.enum(evalModalities);
export type EvalModality = z.infer<typeof evalModalitySchema>;

/**
 * How to read a metric's numbers: `fraction` 0..1 (accuracy, F1, ROUGE), `percent` 0..100 (sacreBLEU),
 * `positive` any value >= 0 (perplexity, loss, milliseconds, tokens/s).
 */
export const evalScoreRanges = ['fraction', 'percent', 'positive'] as const;
export const evalScoreRangeSchema = z.enum(evalScoreRanges);
export type EvalScoreRange = z.infer<typeof evalScoreRangeSchema>;

export const evalReportSources = ['swiftboard', 'evalscope', 'ms-swift'] as const;
export const evalReportSourceSchema = z.enum(evalReportSources);
export type EvalReportSource = z.infer<typeof evalReportSourceSchema>;

const count = z.number().int().nonnegative();
const score = z.number();

export const evalSubsetSchema = z.object({ name: z.string(), num: count, score });
export type EvalSubset = z.infer<typeof evalSubsetSchema>;

export const evalCategorySchema = z.object({
	/** A path, outermost first (EvalScope writes it as a list); `['default']` when a dataset has none. */
	name: z.array(z.string()),
	num: count,
	/** Micro mean over the subsets: each sample counts once. */
	score,
	/** Macro mean over the subsets: each subset counts once. */
	macroScore: score,
	subsets: z.array(evalSubsetSchema)
});
export type EvalCategory = z.infer<typeof evalCategorySchema>;

export const evalBucketSchema = z.object({ value: z.string(), num: count, score, macroScore: score });
export type EvalBucket = z.infer<typeof evalBucketSchema>;

/** Scores split by one property of the samples: `modality`, or `tag:<key>` for a row tag such as a question type. */
export const evalBreakdownSchema = z.object({ by: z.string(), buckets: z.array(evalBucketSchema) });
export type EvalBreakdown = z.infer<typeof evalBreakdownSchema>;

export const evalMetricSchema = z.object({
	name: z.string(),
	/** Which convention the number follows, shown beside it, e.g. "sacreBLEU 2.x defaults: ...". */
	convention: z.string(),
	range: evalScoreRangeSchema,
	higherIsBetter: z.boolean(),
	num: count,
	/** Micro mean over the categories. */
	score,
	/** Macro mean over the categories' scores (EvalScope's definition). */
	macroScore: score,
	/** The corpus-level value where it differs from a mean of samples (corpus BLEU, token-weighted perplexity). */
	corpusScore: score.nullable(),
	categories: z.array(evalCategorySchema),
	breakdowns: z.array(evalBreakdownSchema)
});
export type EvalMetric = z.infer<typeof evalMetricSchema>;

export const evalSampleSchema = z.object({
	/** 0-based position in the eval's predictions. */
	index: count,
	subset: z.string(),
	category: z.array(z.string()),
	tags: z.record(z.string(), z.string()),
	/** Every media kind the sample carries, or `['text']` when it has none. */
	modalities: z.array(evalModalitySchema).min(1),
	prediction: z.string(),
	references: z.array(z.string()),
	/** What was read out of the prediction before scoring (a choice letter), when anything was. */
	extracted: z.string().nullable(),
	/** Metric name -> this sample's score. */
	scores: z.record(z.string(), score)
});
export type EvalSample = z.infer<typeof evalSampleSchema>;

export const evalPercentilesSchema = z.object({
	mean: score,
	min: score,
	max: score,
	p50: score,
	p90: score,
	p99: score
});
export type EvalPercentiles = z.infer<typeof evalPercentilesSchema>;

export const evalLatencySchema = z.object({
	/** How percentiles are interpolated, shown beside them. */
	convention: z.string(),
	requests: count,
	outputTokens: count,
	ttftMs: evalPercentilesSchema.nullable(),
	/** Time per output token after the first, in ms. */
	tpotMs: evalPercentilesSchema.nullable(),
	latencyMs: evalPercentilesSchema,
	/** Each request's output tokens over its own latency. */
	requestTokensPerSecond: evalPercentilesSchema,
	/** All output tokens over the wall-clock span the requests covered. */
	outputTokensPerSecond: score
});
export type EvalLatency = z.infer<typeof evalLatencySchema>;

export const evalReportSchema = z.object({
	name: z.string(),
	model: z.string(),
	dataset: z.string(),
	source: evalReportSourceSchema,
	/** The eval backend that produced it (`Native`, `OpenCompass`, `VLMEvalKit`) for imports; null for SwiftBoard's own. */
	backend: z.string().nullable(),
	/** ISO time the eval ran, when known. */
	createdAt: z.string().nullable(),
	metrics: z.array(evalMetricSchema),
	samples: z.array(evalSampleSchema),
	latency: evalLatencySchema.nullable()
});
export type EvalReport = z.infer<typeof evalReportSchema>;
