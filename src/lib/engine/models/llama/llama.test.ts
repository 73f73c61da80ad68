// The decoder's wiring: parameter names and counts, preset sizes, embeddings-in equal to ids-in, a
// packed row equal to its samples run one by one, and a whole-model finite-difference check.

import { describe, expect, it } from 'vitest';
import { backward, beginStep, noGrad } from '../../autograd/tape';
import { crossEntropy } from '../../autograd/ops/index';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { LLAMA_PRESETS, llamaParamCount, resolveLlamaConfig } from './config';
import { decodeRows, decodeToken, KvCache, prefill } from './decode';
import { LlamaModel } from './model';

const tiny = resolveLlamaConfig({ hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 11, max_position_embeddings: 16 });

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}

describe('Llama decoder', () => {
	it('has HF parameter names and preset sizes near 1M and 10M', () => {
		const model = new LlamaModel(tiny, 1);
		const names = [...model.params.keys()];
		expect(names[0]).toBe('model.embed_tokens.weight');
		expect(names).toContain('model.layers.0.self_attn.q_proj.weight');
		expect(names).toContain('model.layers.1.mlp.gate_proj.weight');
		expect(names.slice(-2)).toEqual(['model.norm.weight', 'lm_head.weight']);
		expect(model.params.get('model.layers.0.self_attn.k_proj.weight')?.shape).toEqual([8, 16]);
		expect(llamaParamCount(LLAMA_PRESETS.nano)).toBeGreaterThan(0.8e6);
		expect(llamaParamCount(LLAMA_PRESETS.nano)).toBeLessThan(1.3e6);
		expect(llamaParamCount(LLAMA_PRESETS.micro)).toBeGreaterThan(8e6);
		expect(llamaParamCount(LLAMA_PRESETS.micro)).toBeLessThan(12e6);
		const tied = new LlamaModel({ ...tiny, tie_word_embeddings: true });
		expect(tied.params.has('lm_head.weight')).toBe(false);
		expect(tied.lmHead).toBe(tied.embedTokens);
	});

	it('gives the same logits from embeddings as from ids', () => {
		const model = new LlamaModel(tiny, 2);
		const ids = Int32Array.from([1, 4, 2, 7, 3, 0, 9, 5]);
		noGrad(() => {
			beginStep();
			const a = model.forward({ inputIds: ids, batchSize: 2, seqLength: 4 }).toArray();
			const b = model.forward({ inputsEmbeds: model.embed(ids, 2, 4), batchSize: 2, seqLength: 4 }).toArray();
			expect(maxDiff(a, b)).toBe(0);
		});
	});

	it('runs a packed row like its samples one by one', () => {
		const model = new LlamaModel(tiny, 3);
		const s1 = [1, 5, 3], s2 = [2, 8, 6, 4, 10];
		noGrad(() => {
			beginStep();
			const packed = model.forward({ inputIds: Int32Array.from([...s1, ...s2]), batchSize: 1, seqLength: 8, segments: [{ row: 0, start: 0, length: 3 }, { row: 0, start: 3, length: 5 }] }).toArray();
			const a = model.forward({ inputIds: Int32Array.from(s1), batchSize: 1, seqLength: 3 }).toArray();
			const b = model.forward({ inputIds: Int32Array.from(s2), batchSize: 1, seqLength: 5 }).toArray();
			expect(maxDiff(packed, [...a, ...b])).toBeLessThan(1e-5);
		});
	});

	it('back-propagates the loss like finite differences of the model', () => {
		const model = new LlamaModel(tiny, 4);
		const ids = Int32Array.from([1, 4, 2, 7, 3, 0]);
		const targets = Int32Array.from([4, 2, 7, 3, 0, -100]);
		const loss = () => {
			const logits = model.forward({ inputIds: ids, batchSize: 1, seqLength: 6 });
			return crossEntropy(logits, fromArray(targets, [6], { dtype: 'i32' }));
		};
		beginStep();
		backward(loss());
		for (const name of ['model.layers.0.self_attn.q_proj.weight', 'model.layers.1.mlp.down_proj.weight', 'model.embed_tokens.weight']) {
			const p = model.params.get(name) as Tensor;
			const g = (p.grad as Tensor).toArray();
			const h = 1e-2;
			for (const i of [0, 7, 13]) {
				const old = p.f32()[i];
				const f = (v: number) => noGrad(() => {
					p.f32()[i] = v;
					beginStep();
					return loss().item();
				});
				const numeric = (f(old + h) - f(old - h)) / (2 * h);
				p.f32()[i] = old;
				expect(Math.abs(numeric - g[i])).toBeLessThan(2e-3 + 0.05 * Math.abs(g[i]));
			}
		}
	});

	it('decodes with a KV cache like full recomputation, after a batched or token-by-token prefill', () => {
		const model = new LlamaModel(tiny, 6);
		const ids = [1, 4, 2, 7, 3, 9];
		const full = noGrad(() => {
			beginStep();
			return model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: ids.length }).toArray();
		});
		const V = tiny.vocab_size;
		const a = new KvCache(model);
		const last = prefill(model, a, ids.slice(0, 4));
		expect(maxDiff(last, full.subarray(3 * V, 4 * V))).toBeLessThan(1e-5);
		const b = new KvCache(model);
		for (const id of ids.slice(0, 4)) decodeToken(model, b, id);
		expect(maxDiff(a.keys[1].subarray(0, 4 * 8), b.keys[1].subarray(0, 4 * 8))).toBeLessThan(1e-5);
		for (const [i, id] of ids.slice(4).entries()) {
			const row = decodeToken(model, a, id);
			expect(maxDiff(row, full.subarray((4 + i) * V, (5 + i) * V))).toBeLessThan(1e-5);
		}
	});

	it('decodes several sequences of different lengths in one step, each like its own full recomputation', () => {
		const model = new LlamaModel(tiny, 8);
		const V = tiny.vocab_size;
		const sequences = [[1, 4, 2, 7, 3], [5, 9, 3], [8, 2, 6, 1, 1, 4, 10]];
		const full = sequences.map((ids) =>
			noGrad(() => {
				beginStep();
				return model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: ids.length }).toArray();
			})
		);
		// Prefill all but each sequence's last two tokens, then feed those two to every row at once.
		const caches = sequences.map((ids) => {
			const cache = new KvCache(model);
			prefill(model, cache, ids.slice(0, -2));
			return cache;
		});
		for (const back of [2, 1]) {
			const rows = decodeRows(model, caches, sequences.map((ids) => ids[ids.length - back]));
			sequences.forEach((ids, b) => {
				const at = ids.length - back;
				expect(maxDiff(rows.subarray(b * V, (b + 1) * V), full[b].subarray(at * V, (at + 1) * V))).toBeLessThan(1e-5);
			});
		}
		expect(caches.map((c) => c.length)).toEqual(sequences.map((ids) => ids.length));
		expect(() => decodeRows(model, caches, [1])).toThrow(/3 caches but 1 tokens/);
	});
});
