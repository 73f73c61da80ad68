// Llama-style decoder: token embedding, pre-RMSNorm blocks with grouped-query attention under RoPE
// and a SwiGLU MLP, final RMSNorm, and an lm_head that may be tied to the embedding. Parameters
// carry HF names (model.layers.0.self_attn.q_proj.weight, ...), so checkpoints map one to one.
//
// Inputs are token ids, or ready-made embeddings (B, T, C): the multimodal path embeds the ids with
// embed(), splices vision/audio features over the placeholder rows, and passes the result in.
// Packed batches pass segments: RoPE positions restart and attention stays inside each sample.

import { add, causalAttention, embedding, linear, reshape, rmsNorm, rope, ropeTable, swiglu, type RopeTable } from '../../autograd/ops/index';
import { createParameter, free, fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { segmentAttention, segmentRope, type Segment } from '../../autograd/ops/segments';
import { spliceFeatures } from '../../autograd/ops/splice';
import { headDim, llamaParamShapes, type LlamaConfig } from './config';
import { Projection, type AdapterStep, type ParamTag } from './projection';

export interface LlamaInput {
	/** (B * T) token ids, row-major; or give inputsEmbeds. */
	inputIds?: Int32Array;
	/** (B, T, C) embeddings in place of ids (multimodal splicing). */
	inputsEmbeds?: Tensor;
	batchSize: number;
	seqLength: number;
	/** Packed rows: segments tiling every row; absent means one sequence per row. */
	segments?: readonly Segment[];
}

interface Layer {
	inputNorm: Tensor;
	postNorm: Tensor;
	q: Projection;
	k: Projection;
	v: Projection;
	o: Projection;
	gate: Projection;
	up: Projection;
	down: Projection;
}

/** Stable 31-bit hash of a parameter name: each tensor gets its own init stream. */
function nameSeed(name: string, seed: number): number {
	let h = seed | 0;
	for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
	return (h >>> 1) || 1;
}

export class LlamaModel {
	readonly config: LlamaConfig;
	/** Every fp32 tensor by HF name; a quantised base weight leaves this map (see projections). */
	readonly params = new Map<string, Tensor>();
	readonly tags = new Map<string, ParamTag>();
	readonly projections: Projection[] = [];
	readonly layers: Layer[] = [];
	readonly rope: RopeTable;
	/** Set by the trainer before each forward; generation leaves it off. */
	adapterStep: AdapterStep = { enabled: true, training: false, seed: 0 };
	/** When set, receives each layer's rotated keys and values (B, T, NKV, hs): the KV-cache prefill. */
	kvSink: ((layer: number, k: Tensor, v: Tensor) => void) | null = null;

	/** Initialises like HF Llama: N(0, 0.02) weights, unit norm gains; deterministic in seed. */
	constructor(config: LlamaConfig, seed = 42) {
		this.config = config;
		for (const [name, shape] of llamaParamShapes(config)) {
			const init = name.endsWith('norm.weight') ? { kind: 'ones' as const } : { kind: 'normal' as const, std: 0.02, seed: nameSeed(name, seed) };
			this.params.set(name, createParameter(shape, name, init));
			this.tags.set(name, 'llm');
		}
		const proj = (name: string) => {
			const p = new Projection(name, this.params.get(`${name}.weight`) as Tensor, 'llm', this.projections.length);
			this.projections.push(p);
			return p;
		};
		for (let l = 0; l < config.num_hidden_layers; l++) {
			const p = `model.layers.${l}`;
			this.layers.push({
				inputNorm: this.params.get(`${p}.input_layernorm.weight`) as Tensor,
				postNorm: this.params.get(`${p}.post_attention_layernorm.weight`) as Tensor,
				q: proj(`${p}.self_attn.q_proj`), k: proj(`${p}.self_attn.k_proj`), v: proj(`${p}.self_attn.v_proj`), o: proj(`${p}.self_attn.o_proj`),
				gate: proj(`${p}.mlp.gate_proj`), up: proj(`${p}.mlp.up_proj`), down: proj(`${p}.mlp.down_proj`)
			});
		}
		this.rope = ropeTable(config.max_position_embeddings, headDim(config), config.rope_theta);
	}

	get embedTokens(): Tensor {
		return this.params.get('model.embed_tokens.weight') as Tensor;
	}

	get lmHead(): Tensor {
		return this.params.get(this.config.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight') as Tensor;
	}

	/** ids (B * T) -> (B, T, C) */
	embed(ids: Int32Array, B: number, T: number): Tensor {
		return embedding(this.embedTokens, fromArray(ids, [B, T], { dtype: 'i32' }));
	}

	/**
	 * The multimodal input: ids embedded, then the rows at `positions` (flat indices into B * T, the
	 * media placeholders) replaced by `features` (n, C) from a vision/audio tower and its aligner.
	 * Pass the result as inputsEmbeds.
	 */
	embedWithFeatures(ids: Int32Array, B: number, T: number, positions: ArrayLike<number>, features: Tensor): Tensor {
		return spliceFeatures(this.embed(ids, B, T), [{ features, rows: Int32Array.from(positions) }]);
	}

	private attention(x: Tensor, layer: Layer, index: number, B: number, T: number, segments: readonly Segment[] | undefined): Tensor {
		const c = this.config;
		const hs = headDim(c);
		const s = this.adapterStep;
		let q = reshape(layer.q.forward(x, s), [B, T, c.num_attention_heads, hs]);
		let k = reshape(layer.k.forward(x, s), [B, T, c.num_key_value_heads, hs]);
		const v = reshape(layer.v.forward(x, s), [B, T, c.num_key_value_heads, hs]);
		let y: Tensor;
		if (segments) {
			q = segmentRope(q, this.rope, segments);
			k = segmentRope(k, this.rope, segments);
			y = segmentAttention(q, k, v, segments);
		} else {
			q = rope(q, this.rope);
			k = rope(k, this.rope);
			y = causalAttention(q, k, v);
		}
		this.kvSink?.(index, k, v);
		return layer.o.forward(y, s);
	}

	/** Final hidden states (B, T, C), after the last RMSNorm. */
	hidden(input: LlamaInput): Tensor {
		const { batchSize: B, seqLength: T } = input;
		const c = this.config;
		// Positions restart in every packed segment, so only a segment must fit the position range.
		const longest = input.segments ? Math.max(...input.segments.map((s) => s.length)) : T;
		if (longest > c.max_position_embeddings) throw new Error(`sequence of ${longest} exceeds max_position_embeddings ${c.max_position_embeddings}`);
		let x: Tensor;
		if (input.inputsEmbeds) x = input.inputsEmbeds;
		else if (input.inputIds) x = this.embed(input.inputIds, B, T);
		else throw new Error('engine: forward needs inputIds or inputsEmbeds');
		const eps = c.rms_norm_eps;
		const s = this.adapterStep;
		for (const [index, layer] of this.layers.entries()) {
			const h = add(x, this.attention(rmsNorm(x, layer.inputNorm, eps), layer, index, B, T, input.segments));
			const m = rmsNorm(h, layer.postNorm, eps);
			x = add(h, layer.down.forward(swiglu(layer.gate.forward(m, s), layer.up.forward(m, s)), s));
		}
		return rmsNorm(x, this.params.get('model.norm.weight') as Tensor, eps);
	}

	/** Logits (B, T, V). */
	forward(input: LlamaInput): Tensor {
		return linear(this.hidden(input), this.lmHead);
	}

	/** Runs fn with every adapter off (the base model), restoring the previous state after. */
	withAdaptersDisabled<T>(fn: () => T): T {
		const before = this.adapterStep;
		this.adapterStep = { ...before, enabled: false };
		try {
			return fn();
		} finally {
			this.adapterStep = before;
		}
	}

	/**
	 * Returns every persistent tensor (weights, quantised bases, adapters, RoPE tables) to the heap,
	 * so a long-lived worker can run job after job in one WebAssembly memory. The model is unusable after.
	 */
	dispose(): void {
		for (const t of this.params.values()) free(t);
		this.params.clear();
		for (const p of this.projections) {
			const q = p.quantized;
			if (q) for (const t of [q.data, q.scales, q.aux]) if (t) free(t);
			for (const [, t] of p.adapter?.namedParameters() ?? []) free(t);
			p.quantized = null;
			p.adapter = null;
			p.weight = null;
		}
		free(this.rope.cos);
		free(this.rope.sin);
	}

	projection(weightName: string): Projection | undefined {
		return this.projections.find((p) => p.weightName === weightName);
	}
}
