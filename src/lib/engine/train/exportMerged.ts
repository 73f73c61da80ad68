// `swift export --merge_lora true` for the built-in engine: an adapter checkpoint is loaded on its
// base, the adapters are folded into the weights, and the result is written as a plain HF model
// directory (config.json + model.safetensors) that needs no PEFT to load.

import { mergeAdapters } from '../tuners/merge';
import { saveModel } from './checkpointing';
import { loadModelForInference } from './inference';

/** Writes the merged model of `checkpoint` into `outDir` (ms-swift names it `<checkpoint>-merged`). */
export async function exportMerged(checkpoint: string, outDir = `${checkpoint}-merged`): Promise<string> {
	const { model } = await loadModelForInference(checkpoint);
	mergeAdapters(model);
	await saveModel(outDir, model);
	return outDir;
}
