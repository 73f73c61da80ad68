// One pre-LayerNorm transformer block of an encoder tower (ViT-style names): bidirectional
// self-attention, then a GELU MLP, each added back to the residual stream.

import { add, gelu, layerNorm, reshape } from '../../autograd/ops/index';
import type { Tensor } from '../../tensor/tensor';
import type { AdapterStep, Projection } from '../llama/projection';
import type { EncoderConfig } from './config';
import { bidirectionalAttention } from './ops/attention';
import type { ParamRegistry } from './registry';

export class EncoderBlock {
	private readonly norm1: [Tensor, Tensor];
	private readonly norm2: [Tensor, Tensor];
	private readonly qkv: Projection;
	private readonly proj: Projection;
	private readonly fc1: Projection;
	private readonly fc2: Projection;

	constructor(
		private readonly config: EncoderConfig,
		prefix: string,
		reg: ParamRegistry
	) {
		const D = config.hidden_size;
		const F = config.intermediate_size;
		const norm = (name: string): [Tensor, Tensor] => [reg.tensor(`${prefix}.${name}.weight`, [D], 'vit', 'ones'), reg.tensor(`${prefix}.${name}.bias`, [D], 'vit', 'zeros')];
		this.norm1 = norm('norm1');
		this.qkv = reg.projection(`${prefix}.attn.qkv`, 3 * D, D, 'vit');
		this.proj = reg.projection(`${prefix}.attn.proj`, D, D, 'vit');
		this.norm2 = norm('norm2');
		this.fc1 = reg.projection(`${prefix}.mlp.fc1`, F, D, 'vit');
		this.fc2 = reg.projection(`${prefix}.mlp.fc2`, D, F, 'vit');
	}

	/** x (B, T, D) -> (B, T, D) */
	forward(x: Tensor, step: AdapterStep): Tensor {
		const [B, T, D] = x.shape;
		const eps = this.config.layer_norm_eps;
		const qkv = reshape(this.qkv.forward(layerNorm(x, ...this.norm1, eps), step), [B, T, 3 * D]);
		const h = add(x, this.proj.forward(bidirectionalAttention(qkv, this.config.num_attention_heads), step));
		return add(h, this.fc2.forward(gelu(this.fc1.forward(layerNorm(h, ...this.norm2, eps), step)), step));
	}
}
