import { z } from 'zod';
import type { JobStatus } from '../jobs';

/**
 * ms-swift's evaluation and export as jobs: what a person asks for (`swift eval` on a saved model,
 * `swift export` of a swift model), and the payloads a device worker gets. The payloads carry only what
 * the server resolved (folders from the model registry, the executable it found, an endpoint's URL from
 * its own configuration); nothing in them is a path or URL a client sent.
 */

export const swiftEvalJobKind = 'swift-eval';
export const swiftExportJobKind = 'swift-export';
/** A long-running job: `swift deploy` serving a model until it is stopped. */
export const swiftDeployJobKind = 'swift-deploy';

/** EvalScope's backends as `swift eval --eval_backend` names them. */
export const swiftEvalBackends = ['Native', 'OpenCompass', 'VLMEvalKit'] as const;
export type SwiftEvalBackend = (typeof swiftEvalBackends)[number];

/**
 * A benchmark as EvalScope names it (gsm8k, mmlu, arc, ceval, MMBench_DEV_EN): an identifier, so a name
 * can never be read as a flag, a path or a hub id by the command it lands in.
 */
export const evalDatasetNameSchema = z
	.string()
	.trim()
	.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'An EvalScope dataset name is a letter followed by letters, digits or underscores (gsm8k, mmlu, arc)');

export const swiftEvalRequestSchema = z
	.object({
		engine: z.literal('swift'),
		/** A saved model's id from the registry (a swift checkpoint, an export, a merged or imported model). */
		model: z.string().min(1),
		eval_backend: z.enum(swiftEvalBackends).default('Native'),
		eval_dataset: z.array(evalDatasetNameSchema).min(1, 'Name at least one EvalScope dataset').max(32),
		/** Samples per dataset; null = every sample. */
		eval_limit: z.number().int().min(1).max(100_000).nullable().default(null),
		name: z.string().trim().min(1).max(200).optional()
	})
	.strict();
export type SwiftEvalRequest = z.infer<typeof swiftEvalRequestSchema>;

/** The executable the server found and how long a stopped process group gets before SIGKILL. */
export const swiftProgramSchema = z.object({ bin: z.string().min(1), stopGraceMs: z.number().int().min(0) });
export type SwiftProgram = z.infer<typeof swiftProgramSchema>;

/** A registry model as ms-swift loads it: a full model's folder, or an adapter on its base. */
export const swiftSavedModelSchema = z.object({ path: z.string().min(1), format: z.enum(['full', 'adapter']), basePath: z.string().nullable() });
export type SwiftSavedModel = z.infer<typeof swiftSavedModelSchema>;

/**
 * What `swift eval` evaluates: a saved model it loads itself, or an OpenAI-compatible endpoint the server
 * knows (`--eval_url` / `--api_key`, with `--model` the name the endpoint serves).
 */
export const swiftEvalTargetSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('model'), model: swiftSavedModelSchema }),
	z.object({ kind: z.literal('endpoint'), url: z.url(), servedModel: z.string().min(1), apiKey: z.string().nullable() })
]);
export type SwiftEvalTarget = z.infer<typeof swiftEvalTargetSchema>;

export const swiftEvalOptionsSchema = z.object({
	backend: z.enum(swiftEvalBackends),
	datasets: z.array(evalDatasetNameSchema).min(1),
	limit: z.number().int().min(1).nullable()
});
export type SwiftEvalOptions = z.infer<typeof swiftEvalOptionsSchema>;

export const swiftEvalJobPayloadSchema = z.object({
	evalId: z.string(),
	/** `evals/<id>/swift/`: ms-swift's `--eval_output_dir`. */
	outputDir: z.string(),
	swift: swiftProgramSchema,
	target: swiftEvalTargetSchema,
	options: swiftEvalOptionsSchema
});
export type SwiftEvalJobPayload = z.infer<typeof swiftEvalJobPayloadSchema>;

/** `swift export --quant_method` values the console offers, with the bit widths each takes. */
export const swiftQuantBits = { awq: [4], gptq: [2, 3, 4, 8], bnb: [4, 8], fp8: [8] } as const;
export const swiftQuantMethods = ['awq', 'gptq', 'bnb', 'fp8'] as const;
export type SwiftQuantMethod = (typeof swiftQuantMethods)[number];
/** Methods that calibrate on sample text (`--dataset`), which the console takes from one of its datasets. */
export const calibratedQuantMethods: readonly SwiftQuantMethod[] = ['awq', 'gptq'];

export const swiftExportRequestSchema = z
	.object({
		/** Merge an adapter into its base (`--merge_lora true`); an adapter is always merged before it is quantised. */
		merge_lora: z.boolean().default(true),
		quant_method: z.enum(swiftQuantMethods).nullable().default(null),
		quant_bits: z.number().int().nullable().default(null),
		/** A dataset id whose rows calibrate AWQ / GPTQ. */
		calibration_dataset: z.string().min(1).nullable().default(null)
	})
	.strict()
	.superRefine((value, ctx) => {
		if (value.quant_method === null) {
			if (value.quant_bits !== null) ctx.addIssue({ code: 'custom', path: ['quant_bits'], message: 'Bits need a quantisation method' });
			return;
		}
		const bits: readonly number[] = swiftQuantBits[value.quant_method];
		if (value.quant_bits === null || !bits.includes(value.quant_bits)) ctx.addIssue({ code: 'custom', path: ['quant_bits'], message: `${value.quant_method} quantises to ${bits.join(' or ')} bits` });
		if (calibratedQuantMethods.includes(value.quant_method) && value.calibration_dataset === null) ctx.addIssue({ code: 'custom', path: ['calibration_dataset'], message: `${value.quant_method} calibrates on sample text: choose a dataset` });
	});
export type SwiftExportRequest = z.infer<typeof swiftExportRequestSchema>;

export const swiftExportOptionsSchema = z.object({
	mergeLora: z.boolean(),
	quant: z.object({ method: z.enum(swiftQuantMethods), bits: z.number().int() }).nullable(),
	/** The calibration rows' data.jsonl (server-side path of a console dataset). */
	calibrationPath: z.string().nullable()
});
export type SwiftExportOptions = z.infer<typeof swiftExportOptionsSchema>;

export const swiftExportJobPayloadSchema = z.object({
	sourceId: z.string(),
	modelId: z.string(),
	/** `models/<new id>/`: ms-swift's `--output_dir`, the new registry entry's folder. */
	outDir: z.string(),
	source: swiftSavedModelSchema,
	swift: swiftProgramSchema,
	options: swiftExportOptionsSchema
});
export type SwiftExportJobPayload = z.infer<typeof swiftExportJobPayloadSchema>;

/** How an export is named beside its source, as ms-swift names its default output folder (`-merged`, `-awq-int4`). */
export function swiftExportSuffix(options: Pick<SwiftExportOptions, 'mergeLora' | 'quant'>): string {
	if (options.quant) return `${options.quant.method}-int${options.quant.bits}`;
	return 'merged';
}

/** `swift deploy --infer_backend` values (`pt` was the old name of `transformers`). */
export const swiftInferBackends = ['transformers', 'vllm', 'sglang', 'lmdeploy'] as const;
export type SwiftInferBackend = (typeof swiftInferBackends)[number];

export const swiftDeployRequestSchema = z
	.object({
		infer_backend: z.enum(swiftInferBackends).default('transformers')
	})
	.strict();
export type SwiftDeployRequest = z.infer<typeof swiftDeployRequestSchema>;

export const swiftDeployOptionsSchema = z.object({
	inferBackend: z.enum(swiftInferBackends),
	/** The model id the server lists on /v1/models and answers to (`--served_model_name`). */
	servedModelName: z.string().regex(/^[\w.-]+$/),
	/** How long loading may take before /health must answer. */
	healthTimeoutMs: z.number().int().min(1)
});
export type SwiftDeployOptions = z.infer<typeof swiftDeployOptionsSchema>;

export const swiftDeployJobPayloadSchema = z.object({
	/** The registry model served. */
	modelId: z.string(),
	source: swiftSavedModelSchema,
	swift: swiftProgramSchema,
	options: swiftDeployOptionsSchema,
	/** Where ms-swift's own files (its logs) go: `deploys/<job>/`. */
	workDir: z.string()
});
export type SwiftDeployJobPayload = z.infer<typeof swiftDeployJobPayloadSchema>;

/** What a deploy job reports once its server answers /health: the server then registers it as an endpoint. */
export const swiftDeployHealthySchema = z.object({ kind: z.literal('healthy'), baseUrl: z.url(), servedModelName: z.string() });
export type SwiftDeployHealthy = z.infer<typeof swiftDeployHealthySchema>;

/** A `swift deploy` job as the Models page lists it. */
export interface SwiftDeployment {
	jobId: string;
	modelId: string;
	status: JobStatus;
	/** The endpoint it registered once healthy, else null. */
	endpointId: string | null;
}
