// Each differentiable op run through the WASM kernels and the tape, against the float64 references:
// forward output, then every input gradient for a random upstream gradient.

import { describe, expect, it } from 'vitest';
import { randomArray, relError } from '../../kernels/reference/compare';
import { embeddingBackwardRef, embeddingRef, linearBackwardRef, linearRef, matmulRef } from '../../kernels/reference/matmul';
import { dropoutRef, geluBackwardRef, geluRef, siluBackwardRef, siluRef, swigluBackwardRef, swigluRef } from '../../kernels/reference/pointwise';
import { layerNormBackwardRef, layerNormRef, rmsNormBackwardRef, rmsNormRef } from '../../kernels/reference/norm';
import { attentionBackwardRef, attentionRef, ropeRef, ropeTables, softmaxBackwardRef, softmaxRef } from '../../kernels/reference/sequence';
import { crossEntropyBackwardRef, crossEntropyRef } from '../../kernels/reference/loss';
import { divBackwardRef, divRef, rowNormBackwardRef, rowNormRef, scaleRowsBackwardRef, scaleRowsRef } from '../../kernels/reference/rows';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { backward, beginStep, noGrad, tapeLength } from '../tape';
import * as ops from './index';
import { attend } from './sequence';

const leaf = (values: Float64Array, shape: number[]) => fromArray(values, shape, { requiresGrad: true });
const grad = (t: Tensor) => (t.grad as Tensor).f32();
const TOL = 2e-5;

function check(y: Tensor, yRef: ArrayLike<number>, seed = 123): Float64Array {
	expect(relError(y.f32(), yRef)).toBeLessThan(TOL);
	const r = randomArray(y.size, seed);
	backward(y, r);
	return r;
}

describe('ops against float64 references', () => {
	it('linear with bias (odd sizes)', () => {
		beginStep();
		const [N, IN, OUT] = [7, 13, 9];
		const xv = randomArray(N * IN, 1), wv = randomArray(OUT * IN, 2), bv = randomArray(OUT, 3);
		const x = leaf(xv, [N, IN]), w = leaf(wv, [OUT, IN]), b = leaf(bv, [OUT]);
		const r = check(ops.linear(x, w, b), linearRef(xv, wv, bv, N, IN, OUT));
		const g = linearBackwardRef(xv, wv, r, N, IN, OUT);
		expect(relError(grad(x), g.dx)).toBeLessThan(TOL);
		expect(relError(grad(w), g.dw)).toBeLessThan(TOL);
		expect(relError(grad(b), g.db)).toBeLessThan(TOL);
	});

	for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]] as const) {
		it(`matmul transA=${tA} transB=${tB}`, () => {
			beginStep();
			const [M, N, K] = [5, 11, 7];
			const av = randomArray(M * K, 4), bv = randomArray(K * N, 5);
			const a = leaf(av, tA ? [K, M] : [M, K]), b = leaf(bv, tB ? [N, K] : [K, N]);
			const r = check(ops.matmul(a, b, { transA: tA, transB: tB }), matmulRef(av, bv, M, N, K, tA, tB));
			// Reference gradients via the identity d<op(A)op(B), R> = op(A)^T R etc., computed densely.
			const opA = tA ? transpose(av, K, M) : av;
			const opB = tB ? transpose(bv, N, K) : bv;
			const dOpA = matmulRef(r, opB, M, K, N, false, true);
			const dOpB = matmulRef(opA, r, K, N, M, true, false);
			expect(relError(grad(a), tA ? transpose(dOpA, M, K) : dOpA)).toBeLessThan(TOL);
			expect(relError(grad(b), tB ? transpose(dOpB, K, N) : dOpB)).toBeLessThan(TOL);
		});
	}

	it('add, mul, scale', () => {
		beginStep();
		const av = randomArray(37, 6), bv = randomArray(37, 7);
		const a = leaf(av, [37]), b = leaf(bv, [37]);
		const y = ops.scale(ops.add(ops.mul(a, b), a), 3);
		const r = check(y, av.map((v, i) => 3 * (v * bv[i] + v)));
		expect(relError(grad(a), r.map((v, i) => 3 * v * (bv[i] + 1)))).toBeLessThan(TOL);
		expect(relError(grad(b), r.map((v, i) => 3 * v * av[i]))).toBeLessThan(TOL);
	});

	for (const [name, fwd, bwd, op] of [
		['gelu', geluRef, geluBackwardRef, ops.gelu],
		['silu', siluRef, siluBackwardRef, ops.silu]
	] as const) {
		it(name, () => {
			beginStep();
			const xv = randomArray(43, 8, 4);
			const x = leaf(xv, [43]);
			const r = check(op(x), fwd(xv));
			expect(relError(grad(x), bwd(xv, r))).toBeLessThan(TOL);
		});
	}

	it('swiglu', () => {
		beginStep();
		const gv = randomArray(29, 9, 4), uv = randomArray(29, 10);
		const g = leaf(gv, [29]), u = leaf(uv, [29]);
		const r = check(ops.swiglu(g, u), swigluRef(gv, uv));
		const d = swigluBackwardRef(gv, uv, r);
		expect(relError(grad(g), d.dgate)).toBeLessThan(TOL);
		expect(relError(grad(u), d.dup)).toBeLessThan(TOL);
	});

	it('dropout (mask shared with the reference, recomputed in backward)', () => {
		beginStep();
		const xv = randomArray(101, 11);
		const x = leaf(xv, [101]);
		const r = check(ops.dropout(x, 0.25, 4242), dropoutRef(xv, 0.25, 4242));
		expect(relError(grad(x), dropoutRef(r, 0.25, 4242))).toBeLessThan(TOL);
	});

	it('layerNorm', () => {
		beginStep();
		const [N, C] = [6, 19];
		const xv = randomArray(N * C, 12, 3), wv = randomArray(C, 13), bv = randomArray(C, 14);
		const x = leaf(xv, [N, C]), w = leaf(wv, [C]), b = leaf(bv, [C]);
		const r = check(ops.layerNorm(x, w, b), layerNormRef(xv, wv, bv, N, C, 1e-5));
		const g = layerNormBackwardRef(xv, wv, r, N, C, 1e-5);
		expect(relError(grad(x), g.dx)).toBeLessThan(1e-4);
		expect(relError(grad(w), g.dw)).toBeLessThan(TOL);
		expect(relError(grad(b), g.db)).toBeLessThan(TOL);
	});

	it('rmsNorm', () => {
		beginStep();
		const [N, C] = [5, 23];
		const xv = randomArray(N * C, 15, 3), wv = randomArray(C, 16);
		const x = leaf(xv, [N, C]), w = leaf(wv, [C]);
		const r = check(ops.rmsNorm(x, w), rmsNormRef(xv, wv, N, C, 1e-6));
		const g = rmsNormBackwardRef(xv, wv, r, N, C, 1e-6);
		expect(relError(grad(x), g.dx)).toBeLessThan(1e-4);
		expect(relError(grad(w), g.dw)).toBeLessThan(TOL);
	});

	it('rope', () => {
		beginStep();
		const [B, T, H, hs] = [2, 5, 3, 8];
		const xv = randomArray(B * T * H * hs, 17);
		const { cos, sin } = ropeTables(T, hs, 10000);
		const x = leaf(xv, [B, T, H, hs]);
		const r = check(ops.rope(x, ops.ropeTable(T, hs)), ropeRef(xv, B, T, H, hs, cos, sin));
		expect(relError(grad(x), ropeRef(r, B, T, H, hs, cos, sin, -1))).toBeLessThan(TOL);
	});

	it('softmax', () => {
		beginStep();
		const [N, C] = [4, 21];
		const xv = randomArray(N * C, 18, 5);
		const x = leaf(xv, [N, C]);
		const yRef = softmaxRef(xv, N, C);
		const r = check(ops.softmax(x), yRef);
		expect(relError(grad(x), softmaxBackwardRef(yRef, r, N, C))).toBeLessThan(TOL);
	});

	// Odd T and head sizes reach every tile edge; T = 70 spans two query blocks.
	const attentionShapes = [
		{ B: 2, T: 7, NH: 4, NKV: 2, hs: 8 },
		{ B: 1, T: 9, NH: 3, NKV: 3, hs: 6 },
		{ B: 1, T: 1, NH: 2, NKV: 1, hs: 5 },
		{ B: 2, T: 70, NH: 4, NKV: 2, hs: 13 }
	];
	for (const s of attentionShapes) {
		it(`causal attention B=${s.B} T=${s.T} NH=${s.NH} NKV=${s.NKV} hs=${s.hs}`, () => {
			beginStep();
			const qv = randomArray(s.B * s.T * s.NH * s.hs, 19), kv = randomArray(s.B * s.T * s.NKV * s.hs, 20), vv = randomArray(s.B * s.T * s.NKV * s.hs, 21);
			const q = leaf(qv, [s.B, s.T, s.NH, s.hs]), k = leaf(kv, [s.B, s.T, s.NKV, s.hs]), v = leaf(vv, [s.B, s.T, s.NKV, s.hs]);
			const r = check(ops.causalAttention(q, k, v), attentionRef(qv, kv, vv, s));
			const g = attentionBackwardRef(qv, kv, vv, r, s);
			expect(relError(grad(q), g.dq)).toBeLessThan(TOL);
			expect(relError(grad(k), g.dk)).toBeLessThan(TOL);
			expect(relError(grad(v), g.dv)).toBeLessThan(TOL);
		});
	}

	for (const s of [{ B: 3, T: 7, NH: 4, NKV: 2, hs: 6 }, { B: 1, T: 1, NH: 2, NKV: 2, hs: 3 }, { B: 2, T: 67, NH: 2, NKV: 1, hs: 7 }]) {
		it(`bidirectional attention B=${s.B} T=${s.T} NH=${s.NH} NKV=${s.NKV} hs=${s.hs}`, () => {
			beginStep();
			const { B, T, NH, NKV, hs } = s;
			const qv = randomArray(B * T * NH * hs, 40), kv = randomArray(B * T * NKV * hs, 41), vv = randomArray(B * T * NKV * hs, 42);
			const q = leaf(qv, [B, T, NH, hs]), k = leaf(kv, [B, T, NKV, hs]), v = leaf(vv, [B, T, NKV, hs]);
			const rows = (t: Tensor) => ({ t, offset: 0, stride: t.shape[2] * hs });
			const r = check(attend(rows(q), rows(k), rows(v), B, T, NH, NKV, hs, false), attentionRef(qv, kv, vv, s, false));
			const g = attentionBackwardRef(qv, kv, vv, r, s, false);
			expect(relError(grad(q), g.dq)).toBeLessThan(TOL);
			expect(relError(grad(k), g.dk)).toBeLessThan(TOL);
			expect(relError(grad(v), g.dv)).toBeLessThan(TOL);
		});
	}

	it('attention longer than the kernel scratch holds is refused', () => {
		beginStep();
		const x = leaf(new Float64Array(40000), [1, 40000, 1, 1]);
		expect(() => ops.causalAttention(x, x, x)).toThrow(/too long/);
	});

	it('fused qkv attention equals attention over the split projections', () => {
		beginStep();
		const [B, T, NH, hs] = [2, 6, 2, 4];
		const C = NH * hs;
		const qkvv = randomArray(B * T * 3 * C, 22);
		const qkv = leaf(qkvv, [B, T, 3 * C]);
		const part = (p: number) => Float64Array.from({ length: B * T * C }, (_, i) => qkvv[Math.floor(i / C) * 3 * C + p * C + (i % C)]);
		const s = { B, T, NH, NKV: NH, hs };
		const r = check(ops.causalAttentionFused(qkv, NH), attentionRef(part(0), part(1), part(2), s));
		const g = attentionBackwardRef(part(0), part(1), part(2), r, s);
		const dq = grad(qkv);
		const back = (p: number) => Float64Array.from({ length: B * T * C }, (_, i) => dq[Math.floor(i / C) * 3 * C + p * C + (i % C)]);
		expect(relError(back(0), g.dq)).toBeLessThan(TOL);
		expect(relError(back(1), g.dk)).toBeLessThan(TOL);
		expect(relError(back(2), g.dv)).toBeLessThan(TOL);
	});

	it('cross-entropy with ignore-index', () => {
		beginStep();
		const [N, V] = [6, 11];
		const lv = randomArray(N * V, 23, 4);
		const tv = [3, -100, 0, 10, -100, 7];
		const logits = leaf(lv, [N, V]);
		const targets = fromArray(tv, [N], { dtype: 'i32' });
		const loss = ops.crossEntropy(logits, targets);
		expect(Math.abs(loss.item() - crossEntropyRef(lv, tv, N, V, -100))).toBeLessThan(1e-5);
		backward(loss);
		expect(relError(grad(logits), crossEntropyBackwardRef(lv, tv, N, V, -100))).toBeLessThan(TOL);
	});

	it('embedding with repeated ids', () => {
		beginStep();
		const [V, C] = [5, 10];
		const ids = [4, 1, 4, 0, 4];
		const tv = randomArray(V * C, 24);
		const table = leaf(tv, [V, C]);
		const r = check(ops.embedding(table, fromArray(ids, [5], { dtype: 'i32' })), embeddingRef(tv, ids, C));
		expect(relError(grad(table), embeddingBackwardRef(r, ids, V, C))).toBeLessThan(TOL);
	});

	it('rowNorm, scaleRows, div (the DoRA pieces)', () => {
		beginStep();
		const [N, C] = [5, 13];
		const xv = randomArray(N * C, 26), sv = randomArray(N, 27), bv = randomArray(N * C, 28).map((v) => v + 2);
		// Kept across the beginStep() calls below, so not in the step arena.
		const s = fromArray(sv, [N], { requiresGrad: true, lifetime: 'persistent' });
		const b = fromArray(bv, [N, C], { requiresGrad: true, lifetime: 'persistent' });
		const x = leaf(xv, [N, C]);
		let r = check(ops.rowNorm(x), rowNormRef(xv, N, C));
		expect(relError(grad(x), rowNormBackwardRef(xv, r, N, C))).toBeLessThan(TOL);
		beginStep();
		const x2 = leaf(xv, [N, C]);
		r = check(ops.scaleRows(x2, s), scaleRowsRef(xv, sv, C));
		const g = scaleRowsBackwardRef(xv, sv, r, C);
		expect(relError(grad(x2), g.dx)).toBeLessThan(TOL);
		expect(relError(grad(s), g.ds)).toBeLessThan(TOL);
		beginStep();
		const x3 = leaf(xv, [N, C]);
		r = check(ops.div(x3, b), divRef(xv, bv));
		const d = divBackwardRef(xv, bv, r);
		expect(relError(grad(x3), d.da)).toBeLessThan(TOL);
		expect(relError(grad(b), d.db)).toBeLessThan(TOL);
	});

	it('noGrad records nothing', () => {
		beginStep();
		const x = leaf(randomArray(8, 25), [8]);
		noGrad(() => ops.gelu(ops.add(x, x)));
		expect(tapeLength()).toBe(0);
		const y = ops.gelu(x);
		expect(tapeLength()).toBe(1);
		expect(y.requiresGrad).toBe(true);
	});
});

function transpose(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
	const out = new Float64Array(rows * cols);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
	return out;
}
