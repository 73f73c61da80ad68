// GPT-2 decoder: learned positions, pre-LayerNorm blocks, GELU MLP, tied input/output embedding.
// Parameters sit in one contiguous buffer in llm.c's train_gpt2.c order (and gradients in a twin
// buffer), each kind stacked over layers:
//   wte (V, C), wpe (maxT, C), ln1w (L, C), ln1b (L, C), qkvw (L, 3C, C), qkvb (L, 3C),
//   attprojw (L, C, C), attprojb (L, C), ln2w (L, C), ln2b (L, C), fcw (L, 4C, C), fcb (L, 4C),
//   fcprojw (L, C, 4C), fcprojb (L, C), lnfw (C), lnfb (C)
// so the flat buffer reads and writes llm.c checkpoints as-is. Linear weights are (out, in).

import { add, crossEntropy, embedding, layerNorm, linear } from '../../src/lib/engine/autograd/ops/index';
import { fromArray, randn, select, zeros } from '../../src/lib/engine/tensor/create';
import { Tensor } from '../../src/lib/engine/tensor/tensor';
import { FusedSelfAttention } from './nn/attention';
import { GeluMLP } from './nn/mlp';
import { LayerNorm } from './nn/norm';
import { Module } from './nn/module';

export interface GPT2Config {
	/** Vocabulary (llm.c's padded vocab: rows of wte). */
	vocabSize: number;
	/** Rows of wpe: the longest sequence the model accepts. */
	maxSeqLen: number;
	layers: number;
	heads: number;
	channels: number;
}

export const GPT2_PARAM_NAMES = [
	'wte', 'wpe', 'ln1w', 'ln1b', 'qkvw', 'qkvb', 'attprojw', 'attprojb', 'ln2w', 'ln2b', 'fcw', 'fcb', 'fcprojw', 'fcprojb', 'lnfw', 'lnfb'
] as const;
export type GPT2ParamName = (typeof GPT2_PARAM_NAMES)[number];

/** Shapes of the 16 parameter tensors, in buffer order. */
export function gpt2ParamShapes(c: GPT2Config): Record<GPT2ParamName, number[]> {
	const { vocabSize: V, maxSeqLen: maxT, layers: L, channels: C } = c;
	return {
		wte: [V, C], wpe: [maxT, C], ln1w: [L, C], ln1b: [L, C], qkvw: [L, 3 * C, C], qkvb: [L, 3 * C],
		attprojw: [L, C, C], attprojb: [L, C], ln2w: [L, C], ln2b: [L, C], fcw: [L, 4 * C, C], fcb: [L, 4 * C],
		fcprojw: [L, C, 4 * C], fcprojb: [L, C], lnfw: [C], lnfb: [C]
	};
}

class Block extends Module {
	readonly ln1: LayerNorm;
	readonly attn: FusedSelfAttention;
	readonly ln2: LayerNorm;
	readonly mlp: GeluMLP;

	constructor(c: GPT2Config, p: Record<GPT2ParamName, Tensor>, l: number) {
		super();
		const C = c.channels;
		this.ln1 = this.registerModule('ln_1', new LayerNorm(C, { weight: select(p.ln1w, l), bias: select(p.ln1b, l) }));
		this.attn = this.registerModule('attn', new FusedSelfAttention(C, c.heads, {
			qkv: { weight: select(p.qkvw, l), biasTensor: select(p.qkvb, l) },
			proj: { weight: select(p.attprojw, l), biasTensor: select(p.attprojb, l) }
		}));
		this.ln2 = this.registerModule('ln_2', new LayerNorm(C, { weight: select(p.ln2w, l), bias: select(p.ln2b, l) }));
		this.mlp = this.registerModule('mlp', new GeluMLP(C, {
			fc: { weight: select(p.fcw, l), biasTensor: select(p.fcb, l) },
			proj: { weight: select(p.fcprojw, l), biasTensor: select(p.fcprojb, l) }
		}));
	}

	/** x (B, T, C) -> x + attn(ln1(x)) + mlp(ln2(.)) */
	forward(x: Tensor): Tensor {
		const h = add(x, this.attn.forward(this.ln1.forward(x)));
		return add(h, this.mlp.forward(this.ln2.forward(h)));
	}
}

export interface GPT2Output {
	/** (B, T, V) */
	logits: Tensor;
	/** mean cross-entropy, present when targets were given */
	loss: Tensor | null;
}

export class GPT2 {
	readonly config: GPT2Config;
	/** All parameters, flat, in llm.c order. */
	readonly flat: Tensor;
	/** The 16 parameter tensors (views of flat, gradients views of flat.grad). */
	readonly params: Record<GPT2ParamName, Tensor>;
	readonly blocks: Block[];
	readonly numParams: number;
	private positions: Tensor | null = null;

	constructor(config: GPT2Config, seed = 1337) {
		this.config = config;
		const shapes = gpt2ParamShapes(config);
		this.numParams = GPT2_PARAM_NAMES.reduce((s, n) => s + shapes[n].reduce((a, b) => a * b, 1), 0);
		this.flat = zeros([this.numParams], { lifetime: 'persistent', requiresGrad: true, name: 'gpt2' });
		this.flat.grad = zeros([this.numParams], { lifetime: 'persistent', name: 'gpt2.grad' });
		const params = {} as Record<GPT2ParamName, Tensor>;
		let offset = 0;
		for (const name of GPT2_PARAM_NAMES) {
			const shape = shapes[name];
			const t = new Tensor(shape, 'f32', this.flat.ptr + offset * 4, 'persistent', true, name);
			t.grad = new Tensor(shape, 'f32', this.flat.grad.ptr + offset * 4, 'persistent', false, `${name}.grad`);
			params[name] = t;
			offset += t.size;
		}
		this.params = params;
		this.initialise(seed);
		this.blocks = Array.from({ length: config.layers }, (_, l) => new Block(config, params, l));
	}

	/** GPT-2 init: N(0, 0.02) weights, residual projections scaled by 1/sqrt(2L), LayerNorm gains 1. */
	private initialise(seed: number): void {
		const p = this.params;
		const residualStd = 0.02 / Math.sqrt(2 * this.config.layers);
		const normal: [GPT2ParamName, number][] = [['wte', 0.02], ['wpe', 0.01], ['qkvw', 0.02], ['attprojw', residualStd], ['fcw', 0.02], ['fcprojw', residualStd]];
		normal.forEach(([name, std], i) => p[name].set(randn(p[name].shape, std, seed + i).f32()));
		for (const name of ['ln1w', 'ln2w', 'lnfw'] as const) p[name].fill(1);
	}

	/** The 16 tensors by name, for the engine's optimizer (which decays the 2-D ones). */
	namedParameters(): [string, Tensor][] {
		return GPT2_PARAM_NAMES.map((n) => [n, this.params[n]]);
	}

	/** The 16 tensors, for optimizers that take a plain list. */
	parameters(): Tensor[] {
		return GPT2_PARAM_NAMES.map((n) => this.params[n]);
	}

	/** Position ids 0..T-1 for each of B rows; persistent and rebuilt only when (B, T) changes. */
	private positionIds(B: number, T: number): Tensor {
		if (!this.positions || this.positions.shape[0] !== B || this.positions.shape[1] !== T) {
			this.positions = fromArray(Int32Array.from({ length: B * T }, (_, i) => i % T), [B, T], { dtype: 'i32', lifetime: 'persistent', name: 'positions' });
		}
		return this.positions;
	}

	/** tokens (B, T) i32 [, targets (B, T) i32] -> logits (B, T, V) and mean loss. */
	forward(tokens: Tensor, targets: Tensor | null = null): GPT2Output {
		const [B, T] = tokens.shape;
		if (T > this.config.maxSeqLen) throw new Error(`engine: sequence ${T} exceeds maxSeqLen ${this.config.maxSeqLen}`);
		const p = this.params;
		let x = add(embedding(p.wte, tokens), embedding(p.wpe, this.positionIds(B, T)));
		for (const block of this.blocks) x = block.forward(x);
		x = layerNorm(x, p.lnfw, p.lnfb);
		const logits = linear(x, p.wte); // tied: logits = x . wte^T
		return { logits, loss: targets ? crossEntropy(logits, targets) : null };
	}
}
