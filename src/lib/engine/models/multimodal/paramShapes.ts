// Every parameter of a multimodal model as a pure list (name, shape, tower tag, whether it is a
// linear projection LoRA can adapt), computed from the config alone: what a saved folder is
// validated against without building the model. paramShapes.test.ts checks it equals the built
// model's tables, so the towers' constructors stay the one source of the layout.

import { llamaParamShapes, type LlamaConfig } from '../llama/config';
import type { ParamTag } from '../llama/projection';
import { audioTokenCount, patchCount, type EncoderConfig, type MultimodalConfig } from './config';

export interface ParamSpec {
	name: string;
	shape: number[];
	tag: ParamTag;
	/** A bias-free linear layer (out, in) named `<module>.weight` that LoRA may target. */
	projection: boolean;
}

/** The decoder's parameters; every 2-D weight but the embedding and the LM head is a projection. */
export function llamaParamSpecs(c: LlamaConfig): ParamSpec[] {
	return llamaParamShapes(c).map(([name, shape]) => ({ name, shape, tag: 'llm', projection: shape.length === 2 && name !== 'model.embed_tokens.weight' && name !== 'lm_head.weight' }));
}

function encoderBlock(c: EncoderConfig, prefix: string): ParamSpec[] {
	const D = c.hidden_size;
	const F = c.intermediate_size;
	const t = (name: string, shape: number[], projection = false): ParamSpec => ({ name: `${prefix}.${name}`, shape, tag: 'vit', projection });
	return [
		t('norm1.weight', [D]), t('norm1.bias', [D]),
		t('attn.qkv.weight', [3 * D, D], true), t('attn.proj.weight', [D, D], true),
		t('norm2.weight', [D]), t('norm2.bias', [D]),
		t('mlp.fc1.weight', [F, D], true), t('mlp.fc2.weight', [D, F], true),
		t('ls1.gamma', [D]), t('ls2.gamma', [D])
	];
}

export function multimodalParamSpecs(c: MultimodalConfig): ParamSpec[] {
	const out = llamaParamSpecs(c.llm);
	const vit = (name: string, shape: number[], projection = false): ParamSpec => ({ name, shape, tag: 'vit', projection });
	const aligner = (name: string, shape: number[]): ParamSpec => ({ name, shape, tag: 'aligner', projection: true });
	const v = c.vision;
	const D = v.hidden_size;
	const area = v.patch_size ** 2;
	if (v.patch_hidden_size > 0) out.push(vit('visual.patch_embed.hidden.weight', [v.patch_hidden_size, area], true));
	out.push(vit('visual.patch_embed.proj.weight', [D, v.patch_hidden_size > 0 ? v.patch_hidden_size : area], true));
	out.push(vit('visual.pos_embed', [patchCount(v), D]), vit('visual.temporal_embed', [c.video_frames, D]));
	for (let i = 0; i < v.num_hidden_layers; i++) out.push(...encoderBlock(v, `visual.blocks.${i}`));
	out.push(vit('visual.norm.weight', [D]), vit('visual.norm.bias', [D]));
	const a = c.audio;
	const A = a.hidden_size;
	out.push(vit('audio_tower.subsample.proj.weight', [A, a.frame_stack * a.num_mel_bins], true), vit('audio_tower.pos_embed', [audioTokenCount(a), A]));
	for (let i = 0; i < a.num_hidden_layers; i++) out.push(...encoderBlock(a, `audio_tower.layers.${i}`));
	out.push(vit('audio_tower.layer_norm.weight', [A]), vit('audio_tower.layer_norm.bias', [A]));
	const C = c.llm.hidden_size;
	const m = c.merge;
	out.push(
		aligner('multi_modal_projector.image.linear_1.weight', [C, m.image * D]),
		aligner('multi_modal_projector.image.linear_2.weight', [C, C]),
		aligner('multi_modal_projector.image.colour.weight', [C, m.image * 3]),
		aligner('multi_modal_projector.audio.linear_1.weight', [C, m.audio * A]),
		aligner('multi_modal_projector.audio.linear_2.weight', [C, C]),
		aligner('multi_modal_projector.video.linear_2.weight', [C, c.video_frames * C]),
		aligner('multi_modal_projector.video.colour.weight', [C, c.video_frames * m.video * 3])
	);
	return out;
}
