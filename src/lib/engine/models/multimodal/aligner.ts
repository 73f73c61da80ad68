// The aligner of one modality (LLaVA's multi_modal_projector): `merge` consecutive tower tokens are
// concatenated (a free reshape, since patches are Z-ordered) and projected by a two-layer GELU MLP
// into the decoder's hidden size. Each modality has its own, since their towers' features differ.

import { gelu, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { MediaKind } from '../../tokenizer/specialTokens';
import type { AdapterStep, Projection } from '../llama/projection';
import type { ParamRegistry } from './registry';

export class Aligner {
	readonly linear1: Projection;
	readonly linear2: Projection;

	constructor(
		kind: MediaKind,
		private readonly towerWidth: number,
		private readonly merge: number,
		hiddenSize: number,
		reg: ParamRegistry
	) {
		this.linear1 = reg.projection(`multi_modal_projector.${kind}.linear_1`, hiddenSize, merge * towerWidth, 'aligner');
		this.linear2 = reg.projection(`multi_modal_projector.${kind}.linear_2`, hiddenSize, hiddenSize, 'aligner');
	}

	/** tower tokens (..., D), a multiple of merge of them -> (M, C) with M = tokens / merge */
	forward(tokens: Tensor, step: AdapterStep): Tensor {
		const M = tokens.size / (this.towerWidth * this.merge);
		const merged = reshape(tokens, [M, this.merge * this.towerWidth]);
		return this.linear2.forward(gelu(this.linear1.forward(merged, step)), step);
	}
}
