// The exported decoder against the engine's own forward: full-sequence logits, ids through the embed
// graph, cached decoding equal to recomputation (from the presents, and from a cache of fixed
// capacity fed whole with present_new written back), a padded batch row equal to the row alone, and
// a tied lm_head without grouped heads; no node copies a cache on its way out.

import { describe, expect, it } from 'vitest';
import { resolveLlamaConfig } from '../models/llama/config';
import { LlamaModel } from '../models/llama/model';
import { decoderGraph, embedGraph, pastName, presentNewName } from './decoder';
import { createSession, decoderStep, embedIds, emptyKv, float32, int64, maxAbsDiff } from './runtime';
import { engineRun, scrambleWeights } from './testing';

const tiny = resolveLlamaConfig({ hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 23, max_position_embeddings: 32 });
const ids = [1, 5, 9, 3, 17, 22, 4, 8, 0, 11, 2, 7];

async function sessions(model: LlamaModel) {
	return { embed: await createSession(embedGraph(model).encode()), decoder: await createSession(decoderGraph(model).encode()) };
}

const C = tiny.hidden_size;
const V = tiny.vocab_size;

/** A scrambled model's sessions, the embeddings of `ids`, their logits in one full run, and a prompt length to decode on from. */
async function promptAndFullLogits() {
	const model = new LlamaModel(tiny, 4);
	scrambleWeights(model, 6);
	const s = await sessions(model);
	const all = await embedIds(s.embed, ids, 1);
	const full = (await decoderStep(s.decoder, tiny, all, 1, emptyKv(tiny, 1))).logits;
	return { s, all, full, prompt: 5 };
}

describe('ONNX decoder export', () => {
	it('matches the engine forward for a batch of prompts, ids through the embed graph', async () => {
		const model = new LlamaModel(tiny, 3);
		scrambleWeights(model, 5);
		const batch = 2;
		const T = ids.length / batch;
		const expected = engineRun(() => model.forward({ inputIds: Int32Array.from(ids), batchSize: batch, seqLength: T }));
		const s = await sessions(model);
		const embeds = await embedIds(s.embed, ids, batch);
		const { logits } = await decoderStep(s.decoder, tiny, embeds, batch, emptyKv(tiny, batch));
		expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1);
		expect(maxAbsDiff(logits, expected)).toBeLessThan(1e-4);
	});

	it('decodes token by token with the cache exactly as a full recomputation', async () => {
		const { s, all, full, prompt } = await promptAndFullLogits();
		let step = await decoderStep(s.decoder, tiny, all.slice(0, prompt * C), 1, emptyKv(tiny, 1));
		expect(maxAbsDiff(step.logits, full.slice(0, prompt * V))).toBeLessThan(1e-5);
		for (let t = prompt; t < ids.length; t++) {
			step = await decoderStep(s.decoder, tiny, all.slice(t * C, (t + 1) * C), 1, step.kv);
			expect(step.kv[0].key.dims).toEqual([1, tiny.num_key_value_heads, t + 1, C / tiny.num_attention_heads]);
			expect(maxAbsDiff(step.logits, full.slice(t * V, (t + 1) * V))).toBeLessThan(1e-5);
		}
	});

	it('decodes from a cache of fixed capacity as from the presents: empty slots masked, present_new written into the next', async () => {
		const { s, all, full, prompt } = await promptAndFullLogits();
		const NKV = tiny.num_key_value_heads;
		const hs = C / tiny.num_attention_heads;
		const capacity = 16;
		const prefill = await decoderStep(s.decoder, tiny, all.slice(0, prompt * C), 1, emptyKv(tiny, 1));
		// Every empty slot holds garbage: only the mask may keep it out.
		const slots = prefill.kv.map((layer) =>
			[layer.key, layer.value].map((t) => {
				const data = new Float32Array(NKV * capacity * hs).fill(7);
				for (let h = 0; h < NKV; h++) data.set((t.data as Float32Array).subarray(h * prompt * hs, (h + 1) * prompt * hs), h * capacity * hs);
				return data;
			})
		);
		for (let t = prompt; t < ids.length; t++) {
			const mask = Array.from({ length: capacity + 1 }, (_, j) => (j < t || j === capacity ? 1 : 0));
			const feeds: Record<string, ReturnType<typeof float32>> = {
				inputs_embeds: float32(all.slice(t * C, (t + 1) * C), [1, 1, C]),
				attention_mask: int64(mask, [1, capacity + 1]),
				position_ids: int64([t], [1, 1])
			};
			slots.forEach(([key, value], l) => {
				feeds[pastName(l, 'key')] = float32(key, [1, NKV, capacity, hs]);
				feeds[pastName(l, 'value')] = float32(value, [1, NKV, capacity, hs]);
			});
			const out = await s.decoder.run(feeds, ['logits', ...slots.flatMap((_, l) => [presentNewName(l, 'key'), presentNewName(l, 'value')])]);
			expect(maxAbsDiff(out.logits.data as Float32Array, full.slice(t * V, (t + 1) * V))).toBeLessThan(1e-5);
			slots.forEach(([key, value], l) => {
				const fresh = [out[presentNewName(l, 'key')], out[presentNewName(l, 'value')]];
				expect(fresh[0].dims).toEqual([1, NKV, 1, hs]);
				[key, value].forEach((data, i) => {
					for (let h = 0; h < NKV; h++) data.set((fresh[i].data as Float32Array).subarray(h * hs, (h + 1) * hs), (h * capacity + t) * hs);
				});
			});
		}
	});

	it('masks left padding: a padded row gives the logits of the row alone (tied head, one kv head per head)', async () => {
		const config = { ...tiny, num_key_value_heads: tiny.num_attention_heads, tie_word_embeddings: true };
		const model = new LlamaModel(config, 7);
		scrambleWeights(model, 8);
		const s = await sessions(model);
		const row = ids.slice(0, 4);
		const expected = engineRun(() => model.forward({ inputIds: Int32Array.from(row), batchSize: 1, seqLength: row.length }));
		const pad = 2;
		const embeds = await embedIds(s.embed, [0, 0, ...row], 1);
		const hs = tiny.hidden_size / tiny.num_attention_heads;
		const feeds: Record<string, ReturnType<typeof float32>> = {
			inputs_embeds: float32(embeds, [1, row.length + pad, tiny.hidden_size]),
			attention_mask: int64([0, 0, 1, 1, 1, 1], [1, row.length + pad]),
			position_ids: int64([0, 0, 0, 1, 2, 3], [1, row.length + pad])
		};
		for (let l = 0; l < tiny.num_hidden_layers; l++) for (const kind of ['key', 'value']) feeds[`past_key_values.${l}.${kind}`] = float32(new Float32Array(0), [1, config.num_key_value_heads, 0, hs]);
		const logits = (await s.decoder.run(feeds)).logits.data as Float32Array;
		expect(maxAbsDiff(logits.slice(pad * tiny.vocab_size), expected)).toBeLessThan(1e-4);
	});

	it('writes each present straight from the Concat that appends to its past: no Identity copies a cache per step', () => {
		const g = decoderGraph(new LlamaModel(tiny, 9));
		expect(g.count('Concat')).toBeGreaterThanOrEqual(2 * tiny.num_hidden_layers);
		expect(g.count('Identity')).toBe(0);
	});
});
