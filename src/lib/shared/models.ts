import { z } from 'zod';

/**
 * The model registry as the browser sees it: presets the built-in engine trains from scratch, a run's
 * checkpoints, merged adapters and imported folders. Paths on disk stay on the server.
 */
export const modelKinds = ['preset', 'checkpoint', 'merged', 'imported'] as const;
export type ModelKind = (typeof modelKinds)[number];

export const modalities = ['text', 'image', 'audio', 'video'] as const;
export type Modality = (typeof modalities)[number];

/** `transformers`: a Hugging Face model folder ms-swift wrote, which the built-in engine does not load. */
export type ModelArchitecture = 'llama' | 'multimodal' | 'transformers';
export type ModelFormat = 'full' | 'adapter';
/** The engine that can load a model: the built-in one, or ms-swift (its checkpoints). */
export type ModelEngine = 'builtin' | 'swift';

export interface ModelSummary {
	id: string;
	name: string;
	kind: ModelKind;
	architecture: ModelArchitecture;
	format: ModelFormat;
	engine: ModelEngine;
	modalities: Modality[];
	parameters: number;
	trainableParameters: number;
	/** Bytes of the folder on disk; 0 for presets, which are built from their definition. */
	sizeBytes: number;
	/** Provenance: the run and step that wrote it, and the model it was trained from or merged onto. */
	runId: string | null;
	step: number | null;
	baseModelId: string | null;
	tunerType: string | null;
	ownerId: string | null;
	ownerName: string | null;
	createdAt: number;
	/** Why it cannot be deleted now (a queued or running run uses it), or null. */
	inUseBy: string | null;
}

/** A run's `model` may name a preset or a saved model; this is what the server resolves it to. */
export const modelIdSchema = z.string().trim().min(1).max(100);

/** The form field of `POST /api/models/import` that names the new model. */
export const importNameSchema = z.string().trim().min(1, 'Give the model a name').max(80);

/**
 * What the engine's `describeSavedModel` tells about a folder, as it crosses a worker boundary
 * (the inspector thread, a merge job's result). The server checks it with this schema.
 */
export const savedModelInfoSchema = z.object({
	architecture: z.enum(['llama', 'multimodal', 'transformers']),
	format: z.enum(['full', 'adapter']),
	modalities: z.array(z.enum(modalities)),
	parameters: z.number().int().min(0),
	trainableParameters: z.number().int().min(0),
	baseModel: z.string().nullable(),
	tunerType: z.string().nullable()
});
export type SavedModelDescription = z.infer<typeof savedModelInfoSchema>;

/** Messages to and from the model inspector thread (workers/model-inspector.ts). */
export const inspectRequestSchema = z.object({ id: z.number().int(), dir: z.string() });
export const inspectReplySchema = z.discriminatedUnion('ok', [
	z.object({ id: z.number().int(), ok: z.literal(true), info: savedModelInfoSchema }),
	z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() })
]);
export type InspectReply = z.infer<typeof inspectReplySchema>;

/**
 * The payload of a `merge` job: fold the adapter at `adapterDir` into its base and write the full model
 * to `outDir`, the folder of the new registry entry `modelId`, merged from `sourceId`.
 */
export const mergeJobPayloadSchema = z.object({ sourceId: z.string(), modelId: z.string(), adapterDir: z.string(), outDir: z.string() });
export type MergeJobPayload = z.infer<typeof mergeJobPayloadSchema>;
export const mergeJobKind = 'merge';
