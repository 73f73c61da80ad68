// What the Trainer needs of a model, whatever its architecture: a micro-batch to logits (all of
// them, or only where the loss reads them), its parameters by name with their tower, saving, and
// freeing. The text decoder and the multimodal model both hold every parameter in one decoder's
// tables (params, tags, projections), so tuners, optimizer and checkpoints see them alike.

import type { LlamaModel } from '../models/llama/model';
import type { ParamTag } from '../models/llama/projection';
import { decoderOf, saveModel, type AnyModel, type Architecture } from '../models/modelFiles';
import { MultimodalModel } from '../models/multimodal/model';
import type { Tensor } from '../tensor/tensor';
import type { MicroBatch } from './batches';

export interface NamedParameter {
	name: string;
	tensor: Tensor;
	tag: ParamTag;
}

export interface TrainableModel {
	readonly architecture: Architecture;
	readonly model: AnyModel;
	/** The decoder whose tables hold every parameter (towers and aligners included). */
	readonly decoder: LlamaModel;
	/** Logits (B, T, V) of a micro-batch. */
	logits(b: MicroBatch): Tensor;
	/** SFT: logits (n, V) at the n trained positions, with their labels. */
	trainedLogits(b: MicroBatch): { logits: Tensor; labels: Int32Array };
	/** Every fp32 parameter, HF names, with its tower. */
	namedParameters(): NamedParameter[];
	/** config.json + model.safetensors. */
	save(dir: string): Promise<void>;
	dispose(): void;
}

export function trainableModel(model: AnyModel): TrainableModel {
	const decoder = decoderOf(model);
	const mm = model instanceof MultimodalModel ? model : null;
	const input = (b: MicroBatch) => ({ inputIds: b.inputIds, batchSize: b.batchSize, seqLength: b.seqLength, segments: b.segments, media: b.media ?? {} });
	return {
		architecture: mm ? 'multimodal' : 'llama',
		model,
		decoder,
		logits: (b) => (mm ? mm.forward(input(b)) : decoder.forward(input(b))),
		// The text path keeps its full-logits loss (its numbers stay as they were); the multimodal path
		// reads only trained positions, since prompts and media are most of its rows.
		trainedLogits: (b) => (mm && b.trainedTokens > 0 ? mm.trainedLogits(input(b), b.labels) : { logits: mm ? mm.forward(input(b)) : decoder.forward(input(b)), labels: b.labels }),
		namedParameters: () => [...decoder.params].map(([name, tensor]) => ({ name, tensor, tag: decoder.tags.get(name) ?? 'llm' })),
		save: (dir) => saveModel(dir, model),
		dispose: () => decoder.dispose()
	};
}

/** The tower a trainable tensor belongs to, from its checkpoint name (HF or PEFT). */
export function tagOfName(name: string): ParamTag {
	if (/(^|\.)(visual|audio_tower)\./.test(name)) return 'vit';
	if (/(^|\.)multi_modal_projector\./.test(name)) return 'aligner';
	return 'llm';
}
