import { BUILTIN_LLAMA_SIZES, BUILTIN_VOCAB_SIZE, DEMO_VLM_PRESET, MULTIMODAL_DEFAULT_SIZES } from '../models/presets';

/**
 * Sizes of the built-in engine's presets, read from the numbers the engine builds its models from, so
 * the Train page's parameter and memory estimate always describes the model that will actually train.
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

interface DecoderSizes {
	hidden_size: number;
	intermediate_size: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	num_key_value_heads: number;
	tie_word_embeddings: boolean;
}
interface EncoderSizes {
	hidden_size: number;
	intermediate_size: number;
	num_hidden_layers: number;
}
interface MultimodalSizes {
	llm: { hidden_size: number };
	vision: EncoderSizes & { patch_size: number; patch_hidden_size: number };
	audio: EncoderSizes & { num_mel_bins: number; frame_stack: number };
	video_frames: number;
	merge: { image: number; audio: number; video: number };
}

function dims(config: DecoderSizes, towerParams = 0): DecoderDims {
	return {
		hiddenSize: config.hidden_size,
		intermediateSize: config.intermediate_size,
		numLayers: config.num_hidden_layers,
		numHeads: config.num_attention_heads,
		numKvHeads: config.num_key_value_heads,
		vocabSize: BUILTIN_VOCAB_SIZE,
		tieEmbeddings: config.tie_word_embeddings,
		towerParams
	};
}

/** Encoder blocks (attention + MLP), the input projection, and an aligner per modality: close, not exact. */
function towerParams(config: MultimodalSizes): number {
	const blocks = (e: EncoderSizes) => e.num_hidden_layers * (4 * e.hidden_size ** 2 + 2 * e.hidden_size * e.intermediate_size + 4 * e.hidden_size);
	const { vision, audio, llm, merge } = config;
	// The vision tower embeds each patch's luma; its mean colour goes to the picture aligners.
	const H = vision.patch_hidden_size;
	const patchEmbed = H > 0 ? vision.patch_size ** 2 * H + H * vision.hidden_size : vision.patch_size ** 2 * vision.hidden_size;
	const audioEmbed = audio.frame_stack * audio.num_mel_bins * audio.hidden_size;
	const aligner = (width: number, merged: number, colours = 0) => (width + colours) * merged * llm.hidden_size + llm.hidden_size ** 2;
	// Video frames share the picture aligner's first layer; the video's second layer reads every frame.
	const videoAligner = config.video_frames * (llm.hidden_size + 3 * merge.video) * llm.hidden_size;
	return blocks(vision) + blocks(audio) + patchEmbed + audioEmbed + aligner(vision.hidden_size, merge.image, 3) + aligner(audio.hidden_size, merge.audio) + videoAligner;
}

// The demo's sizes over the defaults, as the engine's resolveMultimodalConfig fills them.
const demo = DEMO_VLM_PRESET.config;
const defaults = MULTIMODAL_DEFAULT_SIZES;
const demoVlm = {
	llm: { ...BUILTIN_LLAMA_SIZES.nano, ...demo.llm },
	vision: { ...defaults.vision, ...demo.vision },
	audio: { ...defaults.audio, ...demo.audio },
	video_frames: demo.video_frames,
	merge: { ...defaults.merge, ...demo.merge }
};

export const builtinModelPresets = {
	nano: dims(BUILTIN_LLAMA_SIZES.nano),
	micro: dims(BUILTIN_LLAMA_SIZES.micro),
	'demo-vlm': dims(demoVlm.llm, towerParams(demoVlm))
} satisfies Record<string, DecoderDims>;

export type BuiltinModelPreset = keyof typeof builtinModelPresets;
export const builtinModelPresetNames = Object.keys(builtinModelPresets) as BuiltinModelPreset[];
