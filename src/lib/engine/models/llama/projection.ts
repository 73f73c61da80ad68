// One linear layer of the decoder, y = x W^T, with the two seams tuners need: the frozen base may
// be fp32 or quantised (int8 / NF4, kept quantised in memory), and an adapter (LoRA, DoRA) may add
// to or rescale the base output. Adapters can be switched off for the whole model at once (the
// DPO reference pass), so the base is never copied.

import { linear, linearQuantized, type QuantizedWeight } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';

/** Which tower a parameter belongs to; freeze_llm / freeze_vit / freeze_aligner act on these. */
export type ParamTag = 'llm' | 'vit' | 'aligner';

export interface Adapter {
	/** y (..., out) from x (..., in): the base projection and the adapter's contribution together. */
	forward(x: Tensor, projection: Projection, step: AdapterStep): Tensor;
	/** Trainable tensors with names relative to the projection ("lora_A.weight", ...). */
	namedParameters(): [string, Tensor][];
}

/** Per-forward context: whether adapters run, and the seed for their dropout masks. */
export interface AdapterStep {
	enabled: boolean;
	training: boolean;
	seed: number;
}

export class Projection {
	/** HF module path, e.g. "model.layers.0.self_attn.q_proj". */
	readonly name: string;
	readonly inFeatures: number;
	readonly outFeatures: number;
	readonly tag: ParamTag;
	/** Position among the model's projections (distinct dropout streams). */
	readonly index: number;
	weight: Tensor | null;
	quantized: QuantizedWeight | null = null;
	adapter: Adapter | null = null;

	constructor(name: string, weight: Tensor, tag: ParamTag, index: number) {
		this.name = name;
		this.weight = weight;
		this.outFeatures = weight.shape[0];
		this.inFeatures = weight.shape[1];
		this.tag = tag;
		this.index = index;
	}

	get weightName(): string {
		return `${this.name}.weight`;
	}

	/** x (..., in) -> x W^T (..., out), W fp32 or dequantised on the fly inside the GEMM. */
	base(x: Tensor): Tensor {
		if (this.weight) return linear(x, this.weight);
		if (this.quantized) return linearQuantized(x, this.quantized);
		throw new Error(`engine: ${this.name} has no weight`);
	}

	forward(x: Tensor, step: AdapterStep): Tensor {
		return this.adapter && step.enabled ? this.adapter.forward(x, this, step) : this.base(x);
	}
}
