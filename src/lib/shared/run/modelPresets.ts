import { LLAMA_PRESETS, type LlamaConfig } from '../../engine/models/llama/config';

/**
 * Sizes of the built-in engine's presets, read from the engine's own definitions so the Train page's
 * parameter and memory estimate always describes the model that will actually train.
 */
export interface DecoderDims {
	hiddenSize: number;
	intermediateSize: number;
	numLayers: number;
	numHeads: number;
	numKvHeads: number;
	vocabSize: number;
	tieEmbeddings: boolean;
	/** Parameters of the vision/audio towers and aligners, for multimodal presets. */
	towerParams: number;
}

function dims(config: LlamaConfig, towerParams = 0): DecoderDims {
	return {
		hiddenSize: config.hidden_size,
		intermediateSize: config.intermediate_size,
		numLayers: config.num_hidden_layers,
		numHeads: config.num_attention_heads,
		numKvHeads: config.num_key_value_heads,
		vocabSize: config.vocab_size,
		tieEmbeddings: config.tie_word_embeddings,
		towerParams
	};
}

export const builtinModelPresets = {
	nano: dims(LLAMA_PRESETS.nano),
	micro: dims(LLAMA_PRESETS.micro),
	'demo-vlm': dims(LLAMA_PRESETS.nano, 250_000)
} satisfies Record<string, DecoderDims>;

export type BuiltinModelPreset = keyof typeof builtinModelPresets;
export const builtinModelPresetNames = Object.keys(builtinModelPresets) as BuiltinModelPreset[];
