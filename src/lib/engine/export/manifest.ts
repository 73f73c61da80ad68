// manifest.json: everything a server needs to run an exported model without the engine's classes —
// which graph does what with which inputs, the tokenizer and chat template, the media preprocessing
// that turns a file into a tower input, how many rows each placeholder expands to, and the config.

import { HALF_NORMALISATION } from '../media/imageTensor';
import { resolveLogMelConfig } from '../media/logMel';
import { headDim, toHfConfig, type LlamaConfig } from '../models/llama/config';
import { featureTokens, patchCount, type MultimodalConfig } from '../models/multimodal/config';
import { COLOUR_SCALE, pictureInputSize } from '../models/multimodal/towerInputs';
import { ASSISTANT_ID, BOS_ID, BYTE_TOKEN_COUNT, END_ID, EOS_ID, MEDIA_TOKEN_IDS, PAD_ID, SPECIAL_TOKENS, VOCAB_SIZE, type MediaKind } from '../tokenizer/specialTokens';
import type { GraphBuilder, Precision } from './graph';
import { DataType, type ValueInfo } from './protobuf';

export const MANIFEST_FORMAT = 'swiftboard-onnx/1';

/**
 * How the graphs are built, apart from what they take and give (the format): a new revision makes
 * saved exports stale, so the server exports each model again on its next use.
 */
export const GRAPHS_REVISION = 3;

export interface TensorSpec {
	name: string;
	dtype: 'float32' | 'int64';
	/** Sizes; strings name dynamic axes (the same name is the same size across a graph's tensors). */
	dims: (number | string)[];
}

export interface GraphEntry {
	/** File per precision, relative to the manifest. */
	files: Partial<Record<Precision, string>>;
	inputs: TensorSpec[];
	outputs: TensorSpec[];
}

export interface MediaEntry {
	/** The id of the placeholder token in a rendered prompt. */
	placeholder_token_id: number;
	/** Rows one placeholder expands to; the graph's features (count, feature_tokens, C) replace them in order. */
	feature_tokens: number;
	graph: MediaKind;
	preprocessing: Record<string, unknown>;
}

export interface OnnxManifest {
	format: typeof MANIFEST_FORMAT;
	model_type: 'llama' | 'multimodal';
	/** The engine's config (MultimodalConfig, or LlamaConfig for a text model) and the HF config.json of the decoder. */
	config: LlamaConfig | MultimodalConfig;
	hf_config: Record<string, unknown>;
	graphs: Record<string, GraphEntry>;
	decoding: Record<string, unknown>;
	tokenizer: Record<string, unknown>;
	chat_template: Record<string, unknown>;
	media: Partial<Record<MediaKind, MediaEntry>>;
	/** int8 variant: how it was quantised and its measured error against fp32. */
	quantization?: Record<string, unknown>;
}

function specs(values: readonly ValueInfo[]): TensorSpec[] {
	return values.map((v) => ({ name: v.name, dtype: v.dataType === DataType.INT64 ? 'int64' : 'float32', dims: [...v.dims] }));
}

export function graphEntry(g: GraphBuilder, files: Partial<Record<Precision, string>>): GraphEntry {
	return { files, inputs: specs(g.inputInfo), outputs: specs(g.outputInfo) };
}

function decoding(c: LlamaConfig): Record<string, unknown> {
	return {
		num_layers: c.num_hidden_layers,
		num_key_value_heads: c.num_key_value_heads,
		head_dim: headDim(c),
		max_position_embeddings: c.max_position_embeddings,
		past_input: 'past_key_values.{layer}.{key|value}',
		present_output: 'present.{layer}.{key|value}',
		present_new_output: 'present_new.{layer}.{key|value}',
		kv_layout: ['batch', 'num_key_value_heads', 'sequence', 'head_dim'],
		steps: [
			'render the chat template, then repeat each media placeholder token feature_tokens times (media.<kind>)',
			'embed: input_ids -> inputs_embeds; overwrite each placeholder\'s feature_tokens rows with its media graph\'s features, in order',
			'prefill: decoder with past tensors of past_sequence 0, attention_mask all ones over the prompt (0 on left padding), position_ids 0.. (counting kept positions only)',
			'decode: feed each present.* as past_key_values.*, one new token per run, attention_mask extended by one, position_ids continuing',
			'or decode from a cache of fixed capacity: past_key_values.* hold every slot (past_sequence = capacity), attention_mask 1 on the filled slots and the new token, 0 on the empty ones; fetch present_new.* (the new token alone) and write it into the next empty slot'
		],
		stop_token_ids: [END_ID, EOS_ID]
	};
}

function tokenizer(): Record<string, unknown> {
	return {
		type: 'byte',
		description: 'ids 0..255 are the UTF-8 bytes of the text; special tokens follow',
		byte_tokens: BYTE_TOKEN_COUNT,
		vocab_size: VOCAB_SIZE,
		special_tokens: Object.fromEntries(SPECIAL_TOKENS.map((t, i) => [t, BYTE_TOKEN_COUNT + i])),
		bos_token_id: BOS_ID,
		eos_token_id: EOS_ID,
		pad_token_id: PAD_ID,
		/** In message text only the media tags become special tokens; any other tag is plain bytes. */
		specials_in_content: ['<image>', '<audio>', '<video>']
	};
}

function chatTemplate(): Record<string, unknown> {
	return {
		format: '<|bos|> (<|role|> content <|end|>)* <|assistant|>',
		roles: { system: '<|system|>', user: '<|user|>', assistant: '<|assistant|>' },
		system_first_only: true,
		generation_prompt_token_id: ASSISTANT_ID,
		jinja: "{{ '<|bos|>' }}{% for m in messages %}{{ '<|' + m['role'] + '|>' + m['content'] + '<|end|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
	};
}

function media(c: MultimodalConfig): Partial<Record<MediaKind, MediaEntry>> {
	const v = c.vision;
	const picture = {
		image_size: v.image_size,
		patch_size: v.patch_size,
		patches: patchCount(v),
		resize: 'letterbox onto the mean colour (zero after normalisation)',
		normalisation: HALF_NORMALISATION,
		steps: [
			'decode to RGB [3, image_size, image_size] channel-first, (pixel / 255 - mean) / std',
			'subtract each channel\'s median',
			'cut into patch_size patches in Z-order (Morton order of (column, row))',
			'per patch: luma 0.299 R + 0.587 G + 0.114 B minus the patch\'s mean luma (patch_size^2 values)',
			'input = every patch\'s luma, then every patch\'s mean R, G, B times colour_scale'
		],
		colour_scale: COLOUR_SCALE,
		values_per_picture: pictureInputSize(v)
	};
	const mel = resolveLogMelConfig({ nMels: c.audio.num_mel_bins });
	return {
		image: { placeholder_token_id: MEDIA_TOKEN_IDS.image, feature_tokens: featureTokens(c, 'image'), graph: 'image', preprocessing: picture },
		audio: {
			placeholder_token_id: MEDIA_TOKEN_IDS.audio,
			feature_tokens: featureTokens(c, 'audio'),
			graph: 'audio',
			preprocessing: {
				sample_rate: mel.sampleRate,
				n_fft: mel.nFft,
				hop_length: mel.hop,
				num_mel_bins: c.audio.num_mel_bins,
				log_mel: 'Whisper: periodic Hann, reflect padding, Slaney mel filterbank, log10, clamp at max - 8, (x + 4) / 4',
				max_frames: c.audio.max_frames,
				frame_stack: c.audio.frame_stack,
				steps: ['cut to max_frames, or pad with the clip\'s minimum value', 'stack frame_stack consecutive frames, time-major: (max_frames / frame_stack, frame_stack * num_mel_bins)']
			}
		},
		video: {
			placeholder_token_id: MEDIA_TOKEN_IDS.video,
			feature_tokens: featureTokens(c, 'video'),
			graph: 'video',
			preprocessing: { frames: c.video_frames, sampling: 'evenly spaced over the clip, in time order', frame: picture }
		}
	};
}

export function buildManifest(llm: LlamaConfig, multimodal: MultimodalConfig | null, graphs: Record<string, GraphEntry>): OnnxManifest {
	return {
		format: MANIFEST_FORMAT,
		model_type: multimodal ? 'multimodal' : 'llama',
		config: multimodal ?? llm,
		hf_config: { ...toHfConfig(llm) },
		graphs,
		decoding: decoding(llm),
		tokenizer: tokenizer(),
		chat_template: chatTemplate(),
		media: multimodal ? media(multimodal) : {}
	};
}
