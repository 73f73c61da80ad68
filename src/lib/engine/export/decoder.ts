// The Llama-style decoder as two ONNX graphs:
//   embed:   input_ids (batch, sequence) int64 -> inputs_embeds (batch, sequence, C)
//   decoder: inputs_embeds, attention_mask (batch, past + sequence), position_ids (batch, sequence),
//            past_key_values.<l>.key/value (batch, NKV, past, hs)
//            -> logits (batch, sequence, V), present.<l>.key/value (batch, NKV, past + sequence, hs),
//               present_new.<l>.key/value (batch, NKV, sequence, hs): this run's positions alone
// A server embeds the prompt, splices media features over the placeholder rows, and runs the
// decoder once over the prompt with empty pasts (past = 0), then once per new token with the
// previous run's presents as pasts. The same graph serves both.
// A server may instead keep the cache itself in slots of a fixed capacity, feed every slot each run
// with the empty ones masked out, and fetch only present_new to write into its next free slot: the
// pasts are read where they lie, and no run hands back a copy of the whole cache.
//
// Shapes in comments: B batch, S new positions, P past positions, T = P + S.

import { headDim, type LlamaConfig } from '../models/llama/config';
import type { LlamaModel } from '../models/llama/model';
import { GraphBuilder, type Precision } from './graph';
import { DataType } from './protobuf';
import { linearOf, WeightReader } from './weights';

/** A masked score: finite, so a row with every key masked (padding) stays a number. */
const MASKED = -1e9;

export function pastName(layer: number, kind: 'key' | 'value'): string {
	return `past_key_values.${layer}.${kind}`;
}

export function presentName(layer: number, kind: 'key' | 'value'): string {
	return `present.${layer}.${kind}`;
}

export function presentNewName(layer: number, kind: 'key' | 'value'): string {
	return `present_new.${layer}.${kind}`;
}

export function embedGraph(llm: LlamaModel): GraphBuilder {
	const weights = new WeightReader(llm);
	const c = llm.config;
	const g = new GraphBuilder('embed');
	const ids = g.input('input_ids', DataType.INT64, ['batch', 'sequence']);
	const table = g.initializer('model.embed_tokens.weight', weights.get('model.embed_tokens.weight'), [c.vocab_size, c.hidden_size]);
	g.output('inputs_embeds', g.op('Gather', [table, ids], { axis: { int: 0 } }), DataType.FLOAT, ['batch', 'sequence', c.hidden_size]);
	return g;
}

interface Shared {
	/** (B, S, 1, hs/2) rotation tables at the input positions */
	cos: string;
	sin: string;
	/** (B, 1, rep*S, T) 0 where a query sees a key, MASKED elsewhere; one row per query row of a kv group */
	bias: string;
}

/** q or k (B, S, H, hs) rotated by RoPE's half-split pairs (i, i + hs/2), the engine's rope. */
function rope(g: GraphBuilder, x: string, shared: Shared, hs: number): string {
	const [x1, x2] = g.opN('Split', [x, g.ints([hs / 2, hs / 2])], 2, { axis: { int: 3 } });
	const y1 = g.op('Sub', [g.op('Mul', [x1, shared.cos]), g.op('Mul', [x2, shared.sin])]);
	const y2 = g.op('Add', [g.op('Mul', [x2, shared.cos]), g.op('Mul', [x1, shared.sin])]);
	return g.op('Concat', [y1, y2], { axis: { int: 3 } });
}

/** Rotation tables and the causal-and-padding mask, computed once for every layer. */
function sharedInputs(g: GraphBuilder, llm: LlamaModel, embeds: string, mask: string, positions: string, firstPast: string): Shared {
	const half = headDim(llm.config) / 2;
	const rows = llm.config.max_position_embeddings;
	const table = (name: string, values: Float32Array) => g.unsqueeze(g.op('Gather', [g.initializer(name, values, [rows, half]), positions], { axis: { int: 0 } }), [2]);
	const cos = table('rope.cos', llm.rope.cos.f32().slice());
	const sin = table('rope.sin', llm.rope.sin.f32().slice());
	// Query i (absolute position P + i) sees key j when j <= P + i and the mask keeps j.
	const S = g.op('Shape', [embeds], { start: { int: 1 }, end: { int: 2 } });
	const P = g.op('Shape', [firstPast], { start: { int: 2 }, end: { int: 3 } });
	const T = g.op('Add', [P, S]);
	const scalar = (v: string) => g.op('Squeeze', [v, g.ints([0])]);
	const one = g.ints([1], true);
	const queries = g.op('Range', [scalar(P), scalar(T), one]);
	const keys = g.op('Range', [g.ints([0], true), scalar(T), one]);
	const causal = g.op('LessOrEqual', [g.unsqueeze(keys, [0]), g.unsqueeze(queries, [1])]);
	const kept = g.unsqueeze(g.op('Cast', [mask], { to: { int: DataType.BOOL } }), [1, 2]);
	const bias = g.op('Where', [g.op('And', [causal, kept]), g.scalar(0), g.scalar(MASKED)]);
	const rep = llm.config.num_attention_heads / llm.config.num_key_value_heads;
	return { cos, sin, bias: rep === 1 ? bias : g.op('Tile', [bias, g.ints([1, 1, rep, 1])]) };
}

/** Grouped-query attention of one layer; appends this step's keys and values to the cache. */
function attention(g: GraphBuilder, weights: WeightReader, c: LlamaConfig, x: string, layer: number, shared: Shared): string {
	const p = `model.layers.${layer}.self_attn`;
	const NH = c.num_attention_heads;
	const NKV = c.num_key_value_heads;
	const hs = headDim(c);
	const heads = (name: string, n: number) => g.reshape(linearOf(g, weights, x, `${p}.${name}`), [0, 0, n, hs]);
	// (B, S, NH, hs) -> (B, NH, S, hs) -> (B, NKV, rep*S, hs): the query heads sharing a kv head are
	// adjacent, so each group's queries become the rows of one matrix against its keys (GQA without
	// copying keys), scaled here where the tensor is smallest.
	const q = g.reshape(g.transposed(rope(g, heads('q_proj', NH), shared, hs), [0, 2, 1, 3]), [0, NKV, -1, hs]);
	const k = g.transposed(rope(g, heads('k_proj', NKV), shared, hs), [0, 2, 1, 3]);
	const v = g.transposed(heads('v_proj', NKV), [0, 2, 1, 3]);
	const present = (kind: 'key' | 'value', now: string) => {
		const fresh = g.output(presentNewName(layer, kind), now, DataType.FLOAT, ['batch', NKV, 'sequence', hs]);
		const all = g.op('Concat', [pastName(layer, kind), fresh], { axis: { int: 2 } });
		return g.output(presentName(layer, kind), all, DataType.FLOAT, ['batch', NKV, 'total_sequence', hs]);
	};
	// A Transpose straight into MatMul: onnxruntime multiplies by the keys transposed in place.
	const keysT = g.transposed(present('key', k), [0, 1, 3, 2]);
	const values = present('value', v);
	const raw = g.op('MatMul', [g.op('Mul', [q, g.scalar(1 / Math.sqrt(hs))]), keysT]);
	const probs = g.op('Softmax', [g.op('Add', [raw, shared.bias])], { axis: { int: -1 } });
	// (B, NKV, rep*S, hs) -> (B, NH, S, hs) -> (B, S, NH, hs) -> (B, S, C)
	const y = g.reshape(g.transposed(g.reshape(g.op('MatMul', [probs, values]), [0, NH, -1, hs]), [0, 2, 1, 3]), [0, 0, c.hidden_size]);
	return linearOf(g, weights, y, `${p}.o_proj`);
}

export function decoderGraph(llm: LlamaModel, precision: Precision = 'fp32'): GraphBuilder {
	const weights = new WeightReader(llm);
	const c = llm.config;
	const hs = headDim(c);
	const g = new GraphBuilder('decoder', precision);
	const embeds = g.input('inputs_embeds', DataType.FLOAT, ['batch', 'sequence', c.hidden_size]);
	const mask = g.input('attention_mask', DataType.INT64, ['batch', 'total_sequence']);
	const positions = g.input('position_ids', DataType.INT64, ['batch', 'sequence']);
	for (let l = 0; l < c.num_hidden_layers; l++) for (const kind of ['key', 'value'] as const) g.input(pastName(l, kind), DataType.FLOAT, ['batch', c.num_key_value_heads, 'past_sequence', hs]);
	const shared = sharedInputs(g, llm, embeds, mask, positions, pastName(0, 'key'));
	const norm = (x: string, name: string) => g.rmsNorm(x, g.initializer(name, weights.get(name), [c.hidden_size]), c.rms_norm_eps);
	let x = embeds;
	for (let l = 0; l < c.num_hidden_layers; l++) {
		const p = `model.layers.${l}`;
		const h = g.op('Add', [x, attention(g, weights, c, norm(x, `${p}.input_layernorm.weight`), l, shared)]);
		const m = norm(h, `${p}.post_attention_layernorm.weight`);
		const act = g.op('Mul', [g.silu(linearOf(g, weights, m, `${p}.mlp.gate_proj`)), linearOf(g, weights, m, `${p}.mlp.up_proj`)]);
		x = g.op('Add', [h, linearOf(g, weights, act, `${p}.mlp.down_proj`)]);
	}
	const head = c.tie_word_embeddings ? 'model.embed_tokens.weight' : 'lm_head.weight';
	const logits = g.linear(norm(x, 'model.norm.weight'), 'lm_head.weight', weights.get(head), c.vocab_size, c.hidden_size);
	g.output('logits', logits, DataType.FLOAT, ['batch', 'sequence', c.vocab_size]);
	return g;
}
