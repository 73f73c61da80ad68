// Module wiring: parameter naming and gradient flow through the Llama-style blocks (GQA + RoPE,
// SwiGLU, RMSNorm) the decoder models build on.

import { describe, expect, it } from 'vitest';
import { randomArray } from '../../../src/lib/engine/kernels/reference/compare';
import { backward, beginStep } from '../../../src/lib/engine/autograd/tape';
import { ropeTable } from '../../../src/lib/engine/autograd/ops/index';
import { fromArray } from '../../../src/lib/engine/tensor/create';
import type { Tensor } from '../../../src/lib/engine/tensor/tensor';
import { GroupedSelfAttention } from './attention';
import { SwiGLUMLP } from './mlp';
import { RMSNorm } from './norm';

describe('nn modules', () => {
	it('grouped-query attention with RoPE, SwiGLU MLP and RMSNorm train end to end', () => {
		const [B, T, C] = [2, 5, 16];
		const attn = new GroupedSelfAttention(C, { heads: 4, kvHeads: 2, rope: ropeTable(8, 4) });
		const mlp = new SwiGLUMLP(C, 24);
		const norm = new RMSNorm(C);
		expect(attn.namedParameters().map(([n]) => n)).toEqual(['q_proj.weight', 'k_proj.weight', 'v_proj.weight', 'o_proj.weight']);
		expect(attn.k.weight.shape).toEqual([8, C]);
		beginStep();
		const x = fromArray(randomArray(B * T * C, 1), [B, T, C], { requiresGrad: true });
		const y = mlp.forward(norm.forward(attn.forward(x)));
		expect(y.shape).toEqual([B, T, C]);
		backward(y, randomArray(y.size, 2));
		for (const p of [...attn.parameters(), ...mlp.parameters(), ...norm.parameters(), x]) {
			const g = (p.grad as Tensor).f32();
			expect(g.some((v) => v !== 0)).toBe(true);
			expect(g.every((v) => Number.isFinite(v))).toBe(true);
		}
	});
});
