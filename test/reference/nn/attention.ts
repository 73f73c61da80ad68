// Causal self-attention blocks: GPT-2's fused-qkv attention, and the Llama-style attention with
// separate q/k/v projections, grouped-query heads and RoPE.

import { causalAttention, causalAttentionFused, reshape, rope, type RopeTable } from '../../../src/lib/engine/autograd/ops/index';
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';
import { Linear, type LinearOptions } from './linear';
import { Module } from './module';

/** x (B, T, C) -> c_proj(attention(c_attn(x))) with c_attn producing [q | k | v] (B, T, 3C). */
export class FusedSelfAttention extends Module {
	readonly qkv: Linear;
	readonly proj: Linear;
	readonly heads: number;

	constructor(dim: number, heads: number, options: { qkv?: LinearOptions; proj?: LinearOptions } = {}) {
		super();
		if (dim % heads !== 0) throw new Error(`engine: ${heads} heads do not divide ${dim}`);
		this.heads = heads;
		this.qkv = this.registerModule('c_attn', new Linear(dim, 3 * dim, options.qkv));
		this.proj = this.registerModule('c_proj', new Linear(dim, dim, options.proj));
	}

	forward(x: Tensor): Tensor {
		return this.proj.forward(causalAttentionFused(this.qkv.forward(x), this.heads));
	}
}

export interface GroupedAttentionOptions {
	heads: number;
	/** kv heads (divides heads); heads for plain multi-head attention */
	kvHeads?: number;
	headDim?: number;
	bias?: boolean;
	/** Rotary table; no positional rotation when absent. */
	rope?: RopeTable;
	seed?: number;
}

/** x (B, T, C) -> o_proj(attention(rope(q), rope(k), v)), q/k/v/o projections separate. */
export class GroupedSelfAttention extends Module {
	readonly q: Linear;
	readonly k: Linear;
	readonly v: Linear;
	readonly o: Linear;
	readonly heads: number;
	readonly kvHeads: number;
	readonly headDim: number;
	readonly ropeTable: RopeTable | undefined;

	constructor(dim: number, options: GroupedAttentionOptions) {
		super();
		this.heads = options.heads;
		this.kvHeads = options.kvHeads ?? options.heads;
		this.headDim = options.headDim ?? dim / options.heads;
		this.ropeTable = options.rope;
		const seed = options.seed ?? 1;
		const bias = options.bias ?? false;
		this.q = this.registerModule('q_proj', new Linear(dim, this.heads * this.headDim, { bias, seed }));
		this.k = this.registerModule('k_proj', new Linear(dim, this.kvHeads * this.headDim, { bias, seed: seed + 1 }));
		this.v = this.registerModule('v_proj', new Linear(dim, this.kvHeads * this.headDim, { bias, seed: seed + 2 }));
		this.o = this.registerModule('o_proj', new Linear(this.heads * this.headDim, dim, { bias: false, seed: seed + 3 }));
	}

	forward(x: Tensor): Tensor {
		const [B, T] = x.shape;
		let q = reshape(this.q.forward(x), [B, T, this.heads, this.headDim]);
		let k = reshape(this.k.forward(x), [B, T, this.kvHeads, this.headDim]);
		const v = reshape(this.v.forward(x), [B, T, this.kvHeads, this.headDim]);
		if (this.ropeTable) {
			q = rope(q, this.ropeTable);
			k = rope(k, this.ropeTable);
		}
		return this.o.forward(causalAttention(q, k, v));
	}
}
