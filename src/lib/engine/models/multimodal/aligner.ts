// The aligner of pictures and of audio (LLaVA's multi_modal_projector): `merge` consecutive tower
// tokens are concatenated (a free reshape, since patches are Z-ordered) and projected by a two-layer
// GELU MLP into the decoder's hidden size. Each has its own, since their towers' features differ;
// video frames reuse the pictures' first layer (videoAligner.ts).
// Pictures also bring their patches' mean colours, which the vision tower does not see: a linear map
// adds them to the MLP's output. Feeding them into the MLP instead made colour and form compete for
// its hidden units, the same contest the tower is spared (on the demo set: shape 0.92, colour 0.13).

import { add, gelu, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { MediaKind } from '../../tokenizer/specialTokens';
import type { AdapterStep, Projection } from '../llama/projection';
import type { ParamRegistry } from './registry';

export class Aligner {
	readonly linear1: Projection;
	readonly linear2: Projection;
	readonly colour?: Projection;

	constructor(
		kind: MediaKind,
		private readonly towerWidth: number,
		private readonly merge: number,
		hiddenSize: number,
		reg: ParamRegistry,
		/** Mean colours (3 values per tower token) merged into each position; 0 for audio. */
		colourWidth = 0
	) {
		this.linear1 = reg.projection(`multi_modal_projector.${kind}.linear_1`, hiddenSize, merge * towerWidth, 'aligner');
		this.linear2 = reg.projection(`multi_modal_projector.${kind}.linear_2`, hiddenSize, hiddenSize, 'aligner');
		if (colourWidth > 0) this.colour = reg.projection(`multi_modal_projector.${kind}.colour`, hiddenSize, merge * colourWidth, 'aligner');
	}

	/** tower tokens (..., D), a multiple of merge of them, and for pictures their (..., 3) mean colours -> (M, C) with M = tokens / merge */
	forward(tokens: Tensor, step: AdapterStep, colours?: Tensor): Tensor {
		const M = tokens.size / (this.towerWidth * this.merge);
		const merged = reshape(tokens, [M, this.merge * this.towerWidth]);
		const out = this.linear2.forward(gelu(this.linear1.forward(merged, step)), step);
		if (!this.colour) return out;
		if (!colours) throw new Error(`engine: the ${this.colour.name} projection needs colour values`);
		return addColours(out, this.colour, colours, step);
	}
}

/** out (M, C) plus the linear map `colour` of each position's mean colours, laid side by side. */
export function addColours(out: Tensor, colour: Projection, colours: Tensor, step: AdapterStep): Tensor {
	const M = out.shape[0];
	if (colours.size !== M * colour.inFeatures) throw new Error(`engine: the ${colour.name} projection needs ${M * colour.inFeatures} colour values, got ${colours.size}`);
	return add(out, colour.forward(reshape(colours, [M, colour.inFeatures]), step));
}
