// Building the model a run starts from: a preset name (nano, micro: text; demo-vlm: multimodal),
// explicit dims (initialised from the seed), or any saved model folder (full, merged, or an
// adapter checkpoint, whose adapter is merged into its base: a new run's adapters then train on
// top of the merged weights, so the new adapter's base is the old adapter folder itself).

import { LLAMA_PRESETS, resolveLlamaConfig } from '../models/llama/config';
import { LlamaModel } from '../models/llama/model';
import { decoderOf, type AnyModel } from '../models/modelFiles';
import { MultimodalModel } from '../models/multimodal/model';
import { DEMO_VLM } from '../models/multimodal/preset';
import { loadSavedModel } from '../models/saved';
import { mergeAdapters } from '../tuners/merge';
import type { ModelSource } from './config';

export async function buildModel(source: ModelSource, seed: number): Promise<AnyModel> {
	if (typeof source === 'object' && 'checkpoint' in source) {
		const model = await loadSavedModel(source.checkpoint);
		mergeAdapters(decoderOf(model));
		return model;
	}
	if (typeof source === 'object' && 'multimodal' in source) return new MultimodalModel(source.multimodal, seed);
	if (source === 'demo-vlm') return new MultimodalModel(DEMO_VLM.config, seed);
	if (typeof source === 'string' && !(source in LLAMA_PRESETS)) throw new Error(`unknown model preset "${source}" (nano, micro or demo-vlm)`);
	return new LlamaModel(resolveLlamaConfig(source), seed);
}

/** Whether the source is (or, for a folder, may be) a multimodal model. */
export function isPresetMultimodal(source: ModelSource): boolean {
	return source === 'demo-vlm' || (typeof source === 'object' && 'multimodal' in source);
}
