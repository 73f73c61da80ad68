// The audio tower: log-mel frames stacked frame_stack at a time (a convolution whose kernel equals
// its stride, so it is a reshape and one linear layer), a learned position embedding, transformer
// blocks and a final LayerNorm, in the manner of Whisper's encoder at toy size.

import { layerNorm, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { AdapterStep, Projection } from '../llama/projection';
import { audioTokenCount, type AudioConfig } from './config';
import { EncoderBlock } from './encoderBlock';
import { addPositions } from '../../autograd/ops/addIndexed';
import type { ParamRegistry } from './registry';

export class AudioTower {
	readonly subsample: Projection;
	readonly posEmbed: Tensor;
	private readonly blocks: EncoderBlock[] = [];
	private readonly norm: [Tensor, Tensor];

	constructor(
		readonly config: AudioConfig,
		reg: ParamRegistry
	) {
		const D = config.hidden_size;
		this.subsample = reg.projection('audio_tower.subsample.proj', D, config.frame_stack * config.num_mel_bins, 'vit');
		this.posEmbed = reg.tensor('audio_tower.pos_embed', [audioTokenCount(config), D], 'vit', 0.02);
		for (let i = 0; i < config.num_hidden_layers; i++) this.blocks.push(new EncoderBlock(config, `audio_tower.layers.${i}`, reg));
		this.norm = [reg.tensor('audio_tower.layer_norm.weight', [D], 'vit', 'ones'), reg.tensor('audio_tower.layer_norm.bias', [D], 'vit', 'zeros')];
	}

	/** frames (B * N, stack * mels), N = max_frames / frame_stack -> (B, N, D) after subsampling and positions. */
	embedFrames(frames: Tensor, step: AdapterStep): Tensor {
		const N = audioTokenCount(this.config);
		const B = frames.size / (N * this.config.frame_stack * this.config.num_mel_bins);
		return addPositions(reshape(this.subsample.forward(frames, step), [B, N, this.config.hidden_size]), this.posEmbed);
	}

	forward(frames: Tensor, step: AdapterStep): Tensor {
		let x = this.embedFrames(frames, step);
		for (const block of this.blocks) x = block.forward(x, step);
		return layerNorm(x, ...this.norm, this.config.layer_norm_eps);
	}
}
