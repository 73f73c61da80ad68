// Shared setup of the export tests: models with weights large enough that a wrong wiring shows in
// the logits (the engine's N(0, 0.02) init leaves logits near zero, where any graph would agree).

import { beginStep, noGrad } from '../autograd/tape';
import type { LlamaModel } from '../models/llama/model';
import { seededValues } from '../autograd/ops/gradCheck';

/** Every parameter drawn uniformly from +-scale (norm gains from 1 +- scale), deterministic in seed. */
export function scrambleWeights(llm: LlamaModel, seed: number, scale = 0.3): void {
	let s = seed;
	for (const [name, t] of llm.params) {
		const values = seededValues(t.size, ++s, scale);
		if (/norm\.weight$|norm[12]\.weight$|layer_norm\.weight$/.test(name)) for (let i = 0; i < values.length; i++) values[i] += 1;
		t.set(values);
	}
}

/** The engine's forward without gradients, copied out of the step arena. */
export function engineRun(fn: () => { toArray(): Float32Array }): Float32Array {
	return noGrad(() => {
		beginStep();
		return fn().toArray();
	});
}
