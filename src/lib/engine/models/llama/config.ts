// The Llama-style decoder's configuration, in HF `config.json` field names so a checkpoint's config
// reads and writes without translation, plus the size presets the console offers.

import type { HfModelConfig } from '../../checkpoint/peft';
import { BUILTIN_LLAMA_SIZES } from '../../../shared/models/presets';
import { BOS_ID, EOS_ID, PAD_ID, VOCAB_SIZE } from '../../tokenizer/specialTokens';

export interface LlamaConfig {
	hidden_size: number;
	intermediate_size: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	/** Grouped-query attention when fewer than num_attention_heads (must divide it). */
	num_key_value_heads: number;
	vocab_size: number;
	max_position_embeddings: number;
	rope_theta: number;
	rms_norm_eps: number;
	/** lm_head shares model.embed_tokens.weight. */
	tie_word_embeddings: boolean;
}

export type LlamaPreset = 'nano' | 'micro';

/** nano ~1M parameters, micro ~10M (with the byte tokenizer's vocabulary); the sizes live in shared. */
export const LLAMA_PRESETS: Record<LlamaPreset, LlamaConfig> = {
	nano: { ...BUILTIN_LLAMA_SIZES.nano, vocab_size: VOCAB_SIZE },
	micro: { ...BUILTIN_LLAMA_SIZES.micro, vocab_size: VOCAB_SIZE }
};

/** A preset name, or explicit dims (missing fields taken from nano). */
export type LlamaConfigInput = LlamaPreset | Partial<LlamaConfig>;

export function resolveLlamaConfig(input: LlamaConfigInput): LlamaConfig {
	const config = typeof input === 'string' ? LLAMA_PRESETS[input] : { ...LLAMA_PRESETS.nano, ...input };
	if (!config) throw new Error(`unknown model preset "${String(input)}" (nano or micro)`);
	const { hidden_size: C, num_attention_heads: NH, num_key_value_heads: NKV } = config;
	if (C % NH !== 0) throw new Error(`num_attention_heads ${NH} must divide hidden_size ${C}`);
	if (NH % NKV !== 0) throw new Error(`num_key_value_heads ${NKV} must divide num_attention_heads ${NH}`);
	if ((C / NH) % 2 !== 0) throw new Error(`head size ${C / NH} must be even for RoPE`);
	return { ...config };
}

export function headDim(c: LlamaConfig): number {
	return c.hidden_size / c.num_attention_heads;
}

/** Shapes of every fp32 parameter, HF names, in checkpoint order. Linear weights are (out, in). */
export function llamaParamShapes(c: LlamaConfig): [string, number[]][] {
	const C = c.hidden_size;
	const hs = headDim(c);
	const kv = c.num_key_value_heads * hs;
	const out: [string, number[]][] = [['model.embed_tokens.weight', [c.vocab_size, C]]];
	for (let l = 0; l < c.num_hidden_layers; l++) {
		const p = `model.layers.${l}`;
		out.push(
			[`${p}.input_layernorm.weight`, [C]],
			[`${p}.self_attn.q_proj.weight`, [C, C]],
			[`${p}.self_attn.k_proj.weight`, [kv, C]],
			[`${p}.self_attn.v_proj.weight`, [kv, C]],
			[`${p}.self_attn.o_proj.weight`, [C, C]],
			[`${p}.post_attention_layernorm.weight`, [C]],
			[`${p}.mlp.gate_proj.weight`, [c.intermediate_size, C]],
			[`${p}.mlp.up_proj.weight`, [c.intermediate_size, C]],
			[`${p}.mlp.down_proj.weight`, [C, c.intermediate_size]]
		);
	}
	out.push(['model.norm.weight', [C]]);
	if (!c.tie_word_embeddings) out.push(['lm_head.weight', [c.vocab_size, C]]);
	return out;
}

export function llamaParamCount(c: LlamaConfig): number {
	return llamaParamShapes(c).reduce((s, [, shape]) => s + shape.reduce((a, b) => a * b, 1), 0);
}

export function toHfConfig(c: LlamaConfig): HfModelConfig {
	return {
		architectures: ['LlamaForCausalLM'],
		model_type: 'llama',
		...c,
		hidden_act: 'silu',
		torch_dtype: 'float32',
		bos_token_id: BOS_ID,
		eos_token_id: EOS_ID,
		pad_token_id: PAD_ID
	};
}

export function fromHfConfig(hf: HfModelConfig): LlamaConfig {
	if (hf.model_type !== 'llama') throw new Error(`model_type "${hf.model_type}" is not a Llama-style decoder`);
	return resolveLlamaConfig({
		hidden_size: hf.hidden_size,
		intermediate_size: hf.intermediate_size ?? 4 * hf.hidden_size,
		num_hidden_layers: hf.num_hidden_layers,
		num_attention_heads: hf.num_attention_heads,
		num_key_value_heads: hf.num_key_value_heads ?? hf.num_attention_heads,
		vocab_size: hf.vocab_size,
		max_position_embeddings: hf.max_position_embeddings ?? 2048,
		rope_theta: hf.rope_theta ?? 10000,
		rms_norm_eps: hf.rms_norm_eps ?? 1e-6,
		tie_word_embeddings: hf.tie_word_embeddings ?? false
	});
}
