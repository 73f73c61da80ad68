// The ViT vision tower: non-overlapping patches (Z-ordered, see towerInputs.ts) through a patch
// embedding (linear, or a small MLP when patch_hidden_size is set) plus a learned position embedding, transformer blocks, a final LayerNorm. Video frames
// go through the same tower one frame at a time, then get a learned temporal embedding per frame
// index, so the aligner and the decoder can tell frame 0 from frame 3.
//
// The tower sees the picture's luma only; each patch's mean colour goes around it, straight to the
// aligner (see pictureInput in towerInputs.ts). Trained from scratch on one set of pixels, colour and form compete:
// colour is linear in the pixels and is learned within a hundred updates, after which the patch
// embedding sums each patch into its colour and the shapes inside the patches are all but lost (on
// the demo set, asking colour alongside shape held shape at 0.36 where shape alone reached 0.94).
// Given only brightness, the tower spends itself on form, and colour still reaches the decoder.

import { gelu, layerNorm, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { AdapterStep, Projection } from '../llama/projection';
import { patchCount, type VisionConfig } from './config';
import { EncoderBlock } from './encoderBlock';
import { addPositions, addTemporal } from '../../autograd/ops/addIndexed';
import type { ParamRegistry } from './registry';

export class VisionTower {
	readonly patchEmbed: Projection;
	readonly patchHidden?: Projection;
	readonly posEmbed: Tensor;
	readonly temporalEmbed: Tensor;
	private readonly blocks: EncoderBlock[] = [];
	private readonly norm: [Tensor, Tensor];

	constructor(
		readonly config: VisionConfig,
		videoFrames: number,
		reg: ParamRegistry
	) {
		const D = config.hidden_size;
		const p = config.patch_size;
		const H = config.patch_hidden_size;
		// Scaled so the hidden units start near unit variance whatever the patch area.
		if (H > 0) this.patchHidden = reg.projection('visual.patch_embed.hidden', H, p * p, 'vit', 1 / p);
		this.patchEmbed = reg.projection('visual.patch_embed.proj', D, H > 0 ? H : p * p, 'vit');
		this.posEmbed = reg.tensor('visual.pos_embed', [patchCount(config), D], 'vit', 0.02);
		this.temporalEmbed = reg.tensor('visual.temporal_embed', [videoFrames, D], 'vit', 0.02);
		for (let i = 0; i < config.num_hidden_layers; i++) this.blocks.push(new EncoderBlock(config, `visual.blocks.${i}`, reg));
		this.norm = [reg.tensor('visual.norm.weight', [D], 'vit', 'ones'), reg.tensor('visual.norm.bias', [D], 'vit', 'zeros')];
	}

	/** luma patches (B * N, p^2) -> (B, N, D): the patch embedding with positions added. */
	embedPatches(patches: Tensor, step: AdapterStep): Tensor {
		const N = patchCount(this.config);
		const B = patches.size / (N * patches.shape[patches.shape.length - 1]);
		const input = this.patchHidden ? gelu(this.patchHidden.forward(patches, step)) : patches;
		return addPositions(reshape(this.patchEmbed.forward(input, step), [B, N, this.config.hidden_size]), this.posEmbed);
	}

	/**
	 * luma patches (B * N, p^2) of B images or frames -> (B, N, D). Each token keeps only what its patch
	 * and the blocks put there: a summary of the whole picture added to every token (its mean colour
	 * above all) is the easiest thing for a decoder trained from scratch to read, and it then reads
	 * nothing else, neither where things are nor what shape they have.
	 */
	forward(patches: Tensor, step: AdapterStep): Tensor {
		let x = this.embedPatches(patches, step);
		for (const block of this.blocks) x = block.forward(x, step);
		return layerNorm(x, ...this.norm, this.config.layer_norm_eps);
	}

	/** luma patches of frames (V * K * N, p^2), K frames per video in time order -> (V * K, N, D) with frame k's embedding added. */
	forwardVideo(frames: Tensor, step: AdapterStep): Tensor {
		return addTemporal(this.forward(frames, step), this.temporalEmbed, patchCount(this.config));
	}
}
