// Tuner wiring: LoRA's trainable-parameter count, merged adapters giving the unmerged logits,
// QLoRA's base memory, freezing, and adapters switched off reproducing the base model.

import { describe, expect, it } from 'vitest';
import { beginStep, noGrad } from '../autograd/tape';
import { resolveLlamaConfig } from '../models/llama/config';
import { LlamaModel } from '../models/llama/model';
import { applyTuner, trainableCount } from './apply';
import { baseRowNorms2, doraRowNorms } from './doraNorm';
import { LoraAdapter, mergedWeight, rowNorms } from './lora';
import { mergeAdapters } from './merge';
import { projectionBytes } from './quantize';

const tiny = resolveLlamaConfig({ hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 50, max_position_embeddings: 32 });
const ids = Int32Array.from({ length: 16 }, (_, i) => (i * 7 + 3) % 50);

function logits(model: LlamaModel): Float32Array {
	return noGrad(() => {
		beginStep();
		return model.forward({ inputIds: ids, batchSize: 2, seqLength: 8 }).toArray();
	});
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}

/** Gives every adapter non-zero B (and a moved magnitude) so merging has something to fold in. */
function perturbAdapters(model: LlamaModel): void {
	for (const p of model.projections) {
		for (const [, t] of p.adapter?.namedParameters() ?? []) {
			const v = t.f32();
			for (let i = 0; i < v.length; i++) v[i] += 0.01 * Math.sin(i * 1.7 + p.index);
		}
	}
}

describe('tuners', () => {
	it('LoRA with rank r trains r * (in + out) per targeted projection, nothing else', () => {
		const model = new LlamaModel(tiny, 1);
		const tuned = applyTuner(model, { tuner_type: 'lora', lora_rank: 4, target_modules: ['q_proj', 'v_proj'] });
		// q: 64 -> 64, v: 64 -> 32, two layers
		expect(trainableCount(tuned)).toBe(2 * (4 * (64 + 64) + 4 * (64 + 32)));
		expect(tuned.trainable[0][0]).toBe('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight');
		expect([...model.params.values()].every((t) => !t.requiresGrad && t.grad === null)).toBe(true);
		const all = applyTuner(new LlamaModel(tiny, 1), { tuner_type: 'lora', lora_rank: 8 });
		expect(all.adapted.length).toBe(14);
	});

	it('a fresh adapter leaves the model unchanged; disabled adapters give the base', () => {
		const base = logits(new LlamaModel(tiny, 2));
		const model = new LlamaModel(tiny, 2);
		applyTuner(model, { tuner_type: 'lora', lora_rank: 4 });
		expect(maxDiff(logits(model), base)).toBe(0);
		perturbAdapters(model);
		expect(maxDiff(logits(model), base)).toBeGreaterThan(1e-3);
		expect(maxDiff(model.withAdaptersDisabled(() => logits(model)), base)).toBe(0);
	});

	for (const tuner of [
		{ tuner_type: 'lora', lora_rank: 4, lora_alpha: 16 },
		{ tuner_type: 'lora', lora_rank: 4, use_rslora: true },
		{ tuner_type: 'lora', lora_rank: 4, use_dora: true },
		{ tuner_type: 'lora', lora_rank: 4, quant_bits: 4 },
		{ tuner_type: 'lora', lora_rank: 4, quant_bits: 8 },
		{ tuner_type: 'lora', lora_rank: 4, quant_bits: 4, use_dora: true }
	] as const) {
		it(`merging ${JSON.stringify(tuner)} keeps the logits (max abs diff < 1e-4)`, () => {
			const model = new LlamaModel(tiny, 3);
			applyTuner(model, tuner);
			perturbAdapters(model);
			const before = logits(model);
			mergeAdapters(model);
			expect(model.projections.every((p) => p.adapter === null && p.weight !== null)).toBe(true);
			expect(maxDiff(logits(model), before)).toBeLessThan(1e-4);
		});
	}

	it('DoRA row norms from the Gram expansion equal the norms of the formed matrix', () => {
		const model = new LlamaModel(tiny, 6);
		applyTuner(model, { tuner_type: 'lora', lora_rank: 4, use_dora: true });
		perturbAdapters(model);
		for (const p of model.projections.slice(0, 3)) {
			const a = p.adapter as LoraAdapter;
			const formed = rowNorms(mergedWeight(p, a), p.outFeatures);
			const expanded = doraRowNorms(p, a.A, a.B, a.scaling, baseRowNorms2(p));
			expect(maxDiff(expanded, formed)).toBeLessThan(1e-5);
		}
	});

	it('QLoRA keeps the base in NF4: about 1/7 of fp32', () => {
		const model = new LlamaModel(tiny, 4);
		applyTuner(model, { tuner_type: 'lora', quant_bits: 4 });
		const { stored, fp32 } = projectionBytes(model);
		expect(stored / fp32).toBeGreaterThan(1 / 8.5);
		expect(stored / fp32).toBeLessThan(1 / 6.5);
		const int8 = new LlamaModel(tiny, 4);
		applyTuner(int8, { tuner_type: 'lora', quant_bits: 8 });
		const r8 = projectionBytes(int8);
		expect(r8.stored / r8.fp32).toBeLessThan(0.3);
	});

	it('freeze_llm leaves nothing to train in a text-only model', () => {
		expect(() => applyTuner(new LlamaModel(tiny, 5), { tuner_type: 'full', freeze_llm: true })).toThrow(/nothing to train/);
		const full = applyTuner(new LlamaModel(tiny, 5), { tuner_type: 'full' });
		expect(full.trainable.length).toBe(fullParamTensors(tiny));
	});
});

function fullParamTensors(c: typeof tiny): number {
	return 2 + c.num_hidden_layers * 9 + (c.tie_word_embeddings ? 0 : 1);
}
