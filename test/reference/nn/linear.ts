// Linear layer y = x W^T + b with W (out, in), and the embedding table.

import { embedding, linear } from '../../../src/lib/engine/autograd/ops/index';
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';
import { createParameter, Module } from './module';

export interface LinearOptions {
	bias?: boolean;
	/** Init std of the weight (default 0.02, GPT-2). */
	std?: number;
	seed?: number;
	/** Use these tensors instead of allocating (e.g. slices of a stacked buffer). */
	weight?: Tensor;
	biasTensor?: Tensor | null;
}

export class Linear extends Module {
	readonly weight: Tensor;
	readonly bias: Tensor | null;

	constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
		super();
		this.weight = this.registerParameter('weight', options.weight ?? createParameter([outFeatures, inFeatures], 'weight', { kind: 'normal', std: options.std ?? 0.02, seed: options.seed ?? 1 }));
		const b = options.biasTensor !== undefined ? options.biasTensor : options.bias === false ? null : createParameter([outFeatures], 'bias', { kind: 'zeros' });
		this.bias = b ? this.registerParameter('bias', b) : null;
	}

	/** x (..., in) -> (..., out) */
	forward(x: Tensor): Tensor {
		return linear(x, this.weight, this.bias);
	}
}

export class Embedding extends Module {
	readonly weight: Tensor;

	constructor(num: number, dim: number, options: { std?: number; seed?: number; weight?: Tensor } = {}) {
		super();
		this.weight = this.registerParameter('weight', options.weight ?? createParameter([num, dim], 'weight', { kind: 'normal', std: options.std ?? 0.02, seed: options.seed ?? 1 }));
	}

	/** ids (...) i32 -> (..., dim) */
	forward(ids: Tensor): Tensor {
		return embedding(this.weight, ids);
	}
}
