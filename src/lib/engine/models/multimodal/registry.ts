// Tower and aligner parameters live in the decoder's own tables (params, tags, projections), so
// everything that already walks a LlamaModel (the tuners' freeze_llm / freeze_vit / freeze_aligner,
// LoRA targeting, weight export) sees the whole multimodal model without a second code path.

import { createParameter, type Init } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import type { LlamaModel } from '../llama/model';
import { Projection, type ParamTag } from '../llama/projection';

/** Stable 31-bit hash of a name, so each tensor draws its own init stream from the model seed. */
function nameSeed(name: string, seed: number): number {
	let h = (seed ^ 0x6d6d) | 0;
	for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x2c1b3c6d) ^ (h >>> 13);
	return (h >>> 1) || 1;
}

export class ParamRegistry {
	constructor(
		private readonly llm: LlamaModel,
		private readonly seed: number
	) {}

	tensor(name: string, shape: number[], tag: ParamTag, init: 'ones' | 'zeros' | number): Tensor {
		if (this.llm.params.has(name)) throw new Error(`engine: parameter ${name} registered twice`);
		const spec: Init = typeof init === 'number' ? { kind: 'normal', std: init, seed: nameSeed(name, this.seed) } : { kind: init };
		const t = createParameter(shape, name, spec);
		this.llm.params.set(name, t);
		this.llm.tags.set(name, tag);
		return t;
	}

	/** A bias-free linear layer (out, in) named `<name>.weight`, open to LoRA like the decoder's. */
	projection(name: string, out: number, inFeatures: number, tag: ParamTag, std = 0.02): Projection {
		const w = this.tensor(`${name}.weight`, [out, inFeatures], tag, std);
		const p = new Projection(name, w, tag, this.llm.projections.length);
		this.llm.projections.push(p);
		return p;
	}
}
