// Normalisation layers over the last dimension.

import { layerNorm, rmsNorm } from '../../../src/lib/engine/autograd/ops/index';
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';
import { createParameter, Module } from './module';

export class LayerNorm extends Module {
	readonly weight: Tensor;
	readonly bias: Tensor;
	readonly eps: number;

	constructor(dim: number, options: { eps?: number; weight?: Tensor; bias?: Tensor } = {}) {
		super();
		this.eps = options.eps ?? 1e-5;
		this.weight = this.registerParameter('weight', options.weight ?? createParameter([dim], 'weight', { kind: 'ones' }));
		this.bias = this.registerParameter('bias', options.bias ?? createParameter([dim], 'bias', { kind: 'zeros' }));
	}

	forward(x: Tensor): Tensor {
		return layerNorm(x, this.weight, this.bias, this.eps);
	}
}

export class RMSNorm extends Module {
	readonly weight: Tensor;
	readonly eps: number;

	constructor(dim: number, options: { eps?: number; weight?: Tensor } = {}) {
		super();
		this.eps = options.eps ?? 1e-6;
		this.weight = this.registerParameter('weight', options.weight ?? createParameter([dim], 'weight', { kind: 'ones' }));
	}

	forward(x: Tensor): Tensor {
		return rmsNorm(x, this.weight, this.eps);
	}
}
