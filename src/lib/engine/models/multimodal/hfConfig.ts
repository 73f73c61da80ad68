// The multimodal model's `config.json`, in the shape HF gives composite models (LLaVA, Qwen2-VL):
// the decoder's own config under text_config (exactly what a text checkpoint writes), the towers
// under vision_config / audio_config, and beside them what turns media into tower inputs and
// conversations into ids, so a saved folder says everything needed to use it.

import type { HfModelConfig } from '../../checkpoint/peft';
import { fromHfConfig, toHfConfig } from '../llama/config';
import { resolveMultimodalConfig, type AudioConfig, type MultimodalConfig, type VisionConfig } from './config';

export const VLM_ARCHITECTURE = 'SwiftBoardVLM';
export const VLM_MODEL_TYPE = 'swiftboard_vlm';

/** The built-in chat template (tokenizer/chatTemplate.ts) written out in Jinja, as HF configs carry it. */
export const CHAT_TEMPLATE =
	"<|bos|>{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}<|end|>{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

export function toVlmHfConfig(c: MultimodalConfig): Record<string, unknown> {
	return {
		architectures: [VLM_ARCHITECTURE],
		model_type: VLM_MODEL_TYPE,
		text_config: toHfConfig(c.llm),
		vision_config: { ...c.vision },
		audio_config: { ...c.audio },
		video_frames: c.video_frames,
		merge: { ...c.merge },
		// How MediaFeatureCache prepares each kind (see towerInputs.ts and the media loaders).
		preprocessing: {
			image: { size: c.vision.image_size, policy: 'letterbox', channels: 'rgb', range: [-1, 1] },
			video: { frames: c.video_frames, size: c.vision.image_size, sampling: 'even' },
			audio: { features: 'log-mel', sample_rate: 16000, num_mel_bins: c.audio.num_mel_bins, hop_ms: 10, max_frames: c.audio.max_frames }
		},
		chat_template: CHAT_TEMPLATE,
		torch_dtype: 'float32'
	};
}

const VISION_FIELDS: (keyof VisionConfig)[] = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'layer_norm_eps', 'image_size', 'patch_size', 'patch_hidden_size'];
const AUDIO_FIELDS: (keyof AudioConfig)[] = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'layer_norm_eps', 'num_mel_bins', 'max_frames', 'frame_stack'];

function section(hf: Record<string, unknown>, field: string, source: string): Record<string, unknown> {
	const v = hf[field];
	if (v === undefined) throw new Error(`${source}: missing field ${field}`);
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${source}: field ${field} must be an object`);
	return v as Record<string, unknown>;
}

function numbers<K extends string>(o: Record<string, unknown>, fields: readonly K[], prefix: string, source: string): Record<K, number> {
	const out = {} as Record<K, number>;
	for (const f of fields) {
		const v = o[f];
		if (v === undefined) throw new Error(`${source}: missing field ${prefix}${f}`);
		if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${source}: field ${prefix}${f} must be a non-negative number, got ${JSON.stringify(v)}`);
		out[f] = v;
	}
	return out;
}

/** Reads a multimodal config.json; errors name `source` and the field. */
export function fromVlmHfConfig(hf: Record<string, unknown>, source = 'config.json'): MultimodalConfig {
	const text = section(hf, 'text_config', source);
	const llm = decoderFromHf(text, source, 'text_config.');
	const vision = numbers(section(hf, 'vision_config', source), VISION_FIELDS, 'vision_config.', source);
	const audio = numbers(section(hf, 'audio_config', source), AUDIO_FIELDS, 'audio_config.', source);
	const merge = numbers(section(hf, 'merge', source), ['image', 'audio', 'video'], 'merge.', source);
	const frames = numbers(hf, ['video_frames'], '', source).video_frames;
	try {
		return resolveMultimodalConfig({ llm, vision, audio, merge, video_frames: frames });
	} catch (error) {
		throw new Error(`${source}: ${(error as Error).message}`);
	}
}

const DECODER_FIELDS = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'vocab_size'] as const;

/** A Llama decoder config.json (or text_config) with every required field checked by name. */
export function decoderFromHf(hf: Record<string, unknown>, source = 'config.json', prefix = '') {
	for (const f of DECODER_FIELDS) {
		const v = hf[f];
		if (v === undefined) throw new Error(`${source}: missing field ${prefix}${f}`);
		if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`${source}: field ${prefix}${f} must be a positive integer, got ${JSON.stringify(v)}`);
	}
	try {
		return fromHfConfig({ model_type: 'llama', ...hf } as HfModelConfig);
	} catch (error) {
		throw new Error(`${source}: ${(error as Error).message}`);
	}
}
