/**
 * Sizes of the built-in engine's decoder presets. The browser uses them for the parameter and memory
 * estimate on the Train page; the engine builds its models from the same numbers.
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

/** Byte-level tokenizer: 256 bytes + special tokens. */
export const builtinVocabSize = 266;

export const builtinModelPresets = {
	nano: { hiddenSize: 128, intermediateSize: 352, numLayers: 4, numHeads: 4, numKvHeads: 2, vocabSize: builtinVocabSize, tieEmbeddings: true, towerParams: 0 },
	micro: { hiddenSize: 384, intermediateSize: 1024, numLayers: 6, numHeads: 6, numKvHeads: 2, vocabSize: builtinVocabSize, tieEmbeddings: true, towerParams: 0 },
	'demo-vlm': { hiddenSize: 128, intermediateSize: 352, numLayers: 4, numHeads: 4, numKvHeads: 2, vocabSize: builtinVocabSize, tieEmbeddings: true, towerParams: 250_000 }
} as const satisfies Record<string, DecoderDims>;

export type BuiltinModelPreset = keyof typeof builtinModelPresets;
export const builtinModelPresetNames = Object.keys(builtinModelPresets) as BuiltinModelPreset[];
