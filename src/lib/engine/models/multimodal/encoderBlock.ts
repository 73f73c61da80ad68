// One pre-LayerNorm transformer block of an encoder tower (ViT-style names): bidirectional
// self-attention, then a GELU MLP, each added back to the residual stream through a LayerScale
// (CaiT): a learned per-channel gain that starts small, so a tower trained from scratch begins close
// to its patch embedding and lets the blocks grow in as they become useful. Started at full scale
// (or even at CaiT's 0.1), the blocks' output on the many background patches drowns the few
// patches that show something, and the shapes are learned several times more slowly.

import { add, gelu, layerNorm, reshape } from '../../autograd/ops/index';
import { scaleColumns } from '../../autograd/ops/rowScale';
import type { Tensor } from '../../tensor/tensor';
import type { AdapterStep, Projection } from '../llama/projection';
import type { EncoderConfig } from './config';
import { bidirectionalAttention } from '../../autograd/ops/bidirectionalAttention';
import type { ParamRegistry } from './registry';

const LAYER_SCALE_INIT = 0.02;

export class EncoderBlock {
	private readonly norm1: [Tensor, Tensor];
	private readonly norm2: [Tensor, Tensor];
	private readonly qkv: Projection;
	private readonly proj: Projection;
	private readonly fc1: Projection;
	private readonly fc2: Projection;
	private readonly ls1: Tensor;
	private readonly ls2: Tensor;
	private readonly ones: Float32Array;

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
		this.ls1 = reg.tensor(`${prefix}.ls1.gamma`, [D], 'vit', 'ones');
		this.ls2 = reg.tensor(`${prefix}.ls2.gamma`, [D], 'vit', 'ones');
		this.ls1.fill(LAYER_SCALE_INIT);
		this.ls2.fill(LAYER_SCALE_INIT);
		this.ones = new Float32Array(D).fill(1);
	}

	/** x (B, T, D) -> (B, T, D) */
	forward(x: Tensor, step: AdapterStep): Tensor {
		const [B, T, D] = x.shape;
		const eps = this.config.layer_norm_eps;
		const qkv = reshape(this.qkv.forward(layerNorm(x, ...this.norm1, eps), step), [B, T, 3 * D]);
		const attn = this.proj.forward(bidirectionalAttention(qkv, this.config.num_attention_heads), step);
		const h = add(x, reshape(scaleColumns(reshape(attn, [B * T, D]), this.ls1, this.ones), [B, T, D]));
		const mlp = this.fc2.forward(gelu(this.fc1.forward(layerNorm(h, ...this.norm2, eps), step)), step);
		return add(h, reshape(scaleColumns(reshape(mlp, [B * T, D]), this.ls2, this.ones), [B, T, D]));
	}
}
