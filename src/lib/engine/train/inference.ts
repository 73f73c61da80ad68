// Text inference over a loaded decoder: logits of a sequence and KV-cached generation. Folders load
// through models/saved.ts (adapters on a base quantised as the run's was, so logits match training).

import { beginStep, noGrad } from '../autograd/tape';
import { generate, type GenerateOptions } from '../generate/generate';
import type { LlamaModel } from '../models/llama/model';
import { decoderOf } from '../models/modelFiles';
import { loadSavedModel } from '../models/saved';

export interface InferenceModel {
	model: LlamaModel;
	/** Logits (T * V) of one sequence of ids. */
	forwardLogits(ids: readonly number[]): Float32Array;
	/** New token ids after the prompt (KV-cached decoding). */
	generate(promptIds: readonly number[], options?: GenerateOptions): number[];
	/** Frees the model's engine memory. */
	dispose(): void;
}

export function inferenceModel(model: LlamaModel): InferenceModel {
	model.adapterStep = { enabled: true, training: false, seed: 0 };
	return {
		model,
		forwardLogits: (ids) => noGrad(() => {
			beginStep();
			return model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: ids.length }).toArray();
		}),
		generate: (promptIds, options) => generate(model, promptIds, options),
		dispose: () => model.dispose()
	};
}

/** A saved model folder (full or adapter) for text inference; a multimodal model answers text through its decoder. */
export async function loadModelForInference(dir: string): Promise<InferenceModel> {
	return inferenceModel(decoderOf(await loadSavedModel(dir)));
}
