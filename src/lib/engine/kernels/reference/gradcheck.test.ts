// Every float64 reference backward against central finite differences of its forward.
// Each case maps inputs to a vector output y; the scalar checked is <y, r> for a fixed random r.

import { describe, expect, it } from 'vitest';
import { dot, numericGrad, randomArray, relError } from './compare';
import { embeddingBackwardRef, embeddingRef, linearBackwardRef, linearRef, matmulRef } from './matmul';
import { dropoutRef, geluBackwardRef, geluRef, siluBackwardRef, siluRef, swigluBackwardRef, swigluRef } from './pointwise';
import { layerNormBackwardRef, layerNormRef, rmsNormBackwardRef, rmsNormRef } from './norm';
import { attentionBackwardRef, attentionRef, ropeRef, ropeTables, softmaxBackwardRef, softmaxRef } from './sequence';
import { crossEntropyBackwardRef, crossEntropyRef } from './loss';
import { divBackwardRef, divRef, rowNormBackwardRef, rowNormRef, scaleRowsBackwardRef, scaleRowsRef } from './rows';

interface Case {
	name: string;
	inputs: Float64Array[];
	/** forward of all inputs */
	f: (xs: Float64Array[]) => ArrayLike<number>;
	/** analytic gradients of <f(xs), r> w.r.t. each input */
	grads: (xs: Float64Array[], r: Float64Array) => ArrayLike<number>[];
}

const N = 3, C = 6, IN = 5, OUT = 4;
const attn = { B: 2, T: 4, NH: 4, NKV: 2, hs: 4 };
const qkvLen = (h: number) => attn.B * attn.T * h * attn.hs;
const targets = [1, -100, 5, 0];
const ids = [2, 0, 2];
const tables = ropeTables(3, 4, 10000);

const cases: Case[] = [
	{
		name: 'matmul A.B, A.B^T, A^T.B',
		inputs: [randomArray(N * IN, 1), randomArray(IN * OUT, 2)],
		f: ([a, b]) => [...matmulRef(a, b, N, OUT, IN, false, false), ...matmulRef(a, b, N, OUT, IN, true, true)],
		grads: ([a, b], r) => {
			const r1 = r.subarray(0, N * OUT);
			const r2 = r.subarray(N * OUT);
			// y1 = A B (A (N,IN), B (IN,OUT)); y2 = A'^T B'^T reading A as (IN,N) and B as (OUT,IN).
			const da = matmulRef(r1, b, N, IN, OUT, false, true);
			const db = matmulRef(a, r1, IN, OUT, N, true, false);
			matmulRef(b, r2, IN, N, OUT, true, true, da);
			matmulRef(r2, a, OUT, IN, N, true, true, db);
			return [da, db];
		}
	},
	{
		name: 'linear with bias',
		inputs: [randomArray(N * IN, 3), randomArray(OUT * IN, 4), randomArray(OUT, 5)],
		f: ([x, w, b]) => linearRef(x, w, b, N, IN, OUT),
		grads: ([x, w], r) => {
			const g = linearBackwardRef(x, w, r, N, IN, OUT);
			return [g.dx, g.dw, g.db];
		}
	},
	{
		name: 'embedding',
		inputs: [randomArray(3 * C, 6)],
		f: ([t]) => embeddingRef(t, ids, C),
		grads: (_xs, r) => [embeddingBackwardRef(r, ids, 3, C)]
	},
	{ name: 'gelu', inputs: [randomArray(20, 7, 3)], f: ([x]) => geluRef(x), grads: ([x], r) => [geluBackwardRef(x, r)] },
	{ name: 'silu', inputs: [randomArray(20, 8, 3)], f: ([x]) => siluRef(x), grads: ([x], r) => [siluBackwardRef(x, r)] },
	{
		name: 'swiglu',
		inputs: [randomArray(20, 9, 3), randomArray(20, 10)],
		f: ([g, u]) => swigluRef(g, u),
		grads: ([g, u], r) => {
			const d = swigluBackwardRef(g, u, r);
			return [d.dgate, d.dup];
		}
	},
	{ name: 'dropout', inputs: [randomArray(40, 11)], f: ([x]) => dropoutRef(x, 0.3, 77), grads: (_xs, r) => [dropoutRef(r, 0.3, 77)] },
	{
		name: 'layerNorm',
		inputs: [randomArray(N * C, 12, 2), randomArray(C, 13), randomArray(C, 14)],
		f: ([x, w, b]) => layerNormRef(x, w, b, N, C, 1e-5),
		grads: ([x, w], r) => {
			const g = layerNormBackwardRef(x, w, r, N, C, 1e-5);
			return [g.dx, g.dw, g.db];
		}
	},
	{
		name: 'rmsNorm',
		inputs: [randomArray(N * C, 15, 2), randomArray(C, 16)],
		f: ([x, w]) => rmsNormRef(x, w, N, C, 1e-6),
		grads: ([x, w], r) => {
			const g = rmsNormBackwardRef(x, w, r, N, C, 1e-6);
			return [g.dx, g.dw];
		}
	},
	{
		name: 'rope',
		inputs: [randomArray(2 * 3 * 2 * 4, 17)],
		f: ([x]) => ropeRef(x, 2, 3, 2, 4, tables.cos, tables.sin),
		grads: (_xs, r) => [ropeRef(r, 2, 3, 2, 4, tables.cos, tables.sin, -1)]
	},
	{
		name: 'softmax',
		inputs: [randomArray(N * C, 18, 2)],
		f: ([x]) => softmaxRef(x, N, C),
		grads: ([x], r) => [softmaxBackwardRef(softmaxRef(x, N, C), r, N, C)]
	},
	{
		name: 'causal attention (grouped-query)',
		inputs: [randomArray(qkvLen(attn.NH), 19), randomArray(qkvLen(attn.NKV), 20), randomArray(qkvLen(attn.NKV), 21)],
		f: ([q, k, v]) => attentionRef(q, k, v, attn),
		grads: ([q, k, v], r) => {
			const g = attentionBackwardRef(q, k, v, r, attn);
			return [g.dq, g.dk, g.dv];
		}
	},
	{
		name: 'bidirectional attention',
		inputs: [randomArray(qkvLen(attn.NH), 28), randomArray(qkvLen(attn.NKV), 29), randomArray(qkvLen(attn.NKV), 30)],
		f: ([q, k, v]) => attentionRef(q, k, v, attn, false),
		grads: ([q, k, v], r) => {
			const g = attentionBackwardRef(q, k, v, r, attn, false);
			return [g.dq, g.dk, g.dv];
		}
	},
	{ name: 'row norm', inputs: [randomArray(N * C, 23)], f: ([x]) => rowNormRef(x, N, C), grads: ([x], r) => [rowNormBackwardRef(x, r, N, C)] },
	{
		name: 'scale rows',
		inputs: [randomArray(N * C, 24), randomArray(N, 25)],
		f: ([x, s]) => scaleRowsRef(x, s, C),
		grads: ([x, s], r) => {
			const g = scaleRowsBackwardRef(x, s, r, C);
			return [g.dx, g.ds];
		}
	},
	{
		name: 'div',
		inputs: [randomArray(9, 26), randomArray(9, 27).map((v) => v + 2)],
		f: ([a, b]) => divRef(a, b),
		grads: ([a, b], r) => {
			const g = divBackwardRef(a, b, r);
			return [g.da, g.db];
		}
	},
	{
		name: 'cross-entropy with ignore-index',
		inputs: [randomArray(4 * 7, 22, 2)],
		f: ([l]) => [crossEntropyRef(l, targets, 4, 7, -100)],
		grads: ([l], r) => [crossEntropyBackwardRef(l, targets, 4, 7, -100, r[0])]
	}
];

describe('float64 references match central finite differences', () => {
	for (const c of cases) {
		it(c.name, () => {
			const r = randomArray(c.f(c.inputs).length, 99);
			const analytic = c.grads(c.inputs, r);
			c.inputs.forEach((x, i) => {
				const numeric = numericGrad((xi) => dot(c.f(c.inputs.map((y, j) => (j === i ? xi : y))), r), x);
				expect(relError(analytic[i], numeric)).toBeLessThan(1e-6);
			});
		});
	}
});
