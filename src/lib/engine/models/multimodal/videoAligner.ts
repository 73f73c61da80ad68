// The video aligner. One LLM position stands for one window of patches through every frame. Each
// frame's window goes through the picture aligner's first layer, the very weights that read form in
// pictures, of which there are several times as many as videos; the video's own second layer then
// takes the frames' hidden units side by side, so a position still tells frame 0 from frame 3 and
// reads which way its part of the picture changes.
//
// A first layer of the video's own, over the window's patches of all frames at once, split what it
// learned of form four ways (one weight block per frame, each seeing the shape only when it passes
// through): on the demo set the moving shape was read at 0.80, and at 0.93 with the shared layer.

import { gelu, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { AdapterStep, Projection } from '../llama/projection';
import { addColours } from './aligner';
import type { ParamRegistry } from './registry';

export class VideoAligner {
	readonly linear2: Projection;
	readonly colour: Projection;

	constructor(
		/** The picture aligner's first layer: one window's tower tokens (window * D) -> hidden units. */
		private readonly frameLayer: Projection,
		/** Patches per window, the picture aligner's merge. */
		private readonly window: number,
		private readonly frames: number,
		hiddenSize: number,
		reg: ParamRegistry
	) {
		this.linear2 = reg.projection('multi_modal_projector.video.linear_2', hiddenSize, frames * frameLayer.outFeatures, 'aligner');
		this.colour = reg.projection('multi_modal_projector.video.colour', hiddenSize, frames * window * 3, 'aligner');
	}

	/**
	 * tower tokens (M * frames * window, D) in window order (see videoWindowOrder: per position its
	 * window in frame 0, then frame 1, ...) and their (..., 3) mean colours -> (M, C).
	 */
	forward(tokens: Tensor, step: AdapterStep, colours: Tensor): Tensor {
		const perFrame = this.frameLayer.inFeatures;
		const M = tokens.size / (perFrame * this.frames);
		const hidden = gelu(this.frameLayer.forward(reshape(tokens, [M * this.frames, perFrame]), step));
		const out = this.linear2.forward(reshape(hidden, [M, this.frames * this.frameLayer.outFeatures]), step);
		return addColours(out, this.colour, colours, step);
	}
}
