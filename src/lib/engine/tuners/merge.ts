// Folding adapters into the base: W <- W + s B A (LoRA) or W <- m / ||W + s B A||_row * (W + s B A)
// (DoRA). A quantised base is dequantised first, so the merged model is plain fp32 (what
// `swift export --merge_lora true` writes).

import { createParameter, free } from '../tensor/create';
import type { LlamaModel } from '../models/llama/model';
import { dequantize } from '../models/llama/weights';
import { freezeTensor } from './freeze';
import { LoraAdapter, mergedWeight, rowNorms } from './lora';

export function mergeAdapters(model: LlamaModel): void {
	for (const p of model.projections) {
		const a = p.adapter;
		if (!a) continue;
		if (!(a instanceof LoraAdapter)) throw new Error(`${p.name}: unknown adapter kind`);
		if (!p.weight && p.quantized) {
			const w = createParameter([p.outFeatures, p.inFeatures], p.weightName, { kind: 'zeros' });
			w.set(dequantize(p.quantized));
			freezeTensor(w);
			for (const t of [p.quantized.data, p.quantized.scales, p.quantized.aux]) if (t) free(t);
			p.quantized = null;
			p.weight = w;
			model.params.set(p.weightName, w);
		}
		const merged = mergedWeight(p, a);
		if (a.magnitude) {
			const norms = rowNorms(merged, p.outFeatures);
			const m = a.magnitude.f32();
			const cols = p.inFeatures;
			for (let i = 0; i < merged.length; i++) merged[i] *= m[Math.floor(i / cols)] / norms[Math.floor(i / cols)];
		}
		(p.weight as NonNullable<typeof p.weight>).set(merged);
		for (const t of [a.A, a.B, a.magnitude]) if (t) free(t);
		p.adapter = null;
	}
}
