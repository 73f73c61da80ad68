// Each op against its float64 reference (forward and backward), and each reference's gradient
// against central finite differences.

import { describe, expect, it } from 'vitest';
import { backward, beginStep } from '../tape';
import { ropeTable } from './index';
import { dot, numericGrad, randomArray, relError } from '../../kernels/reference/compare';
import { ropeTables } from '../../kernels/reference/sequence';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { hostScalar, sequenceLogProbs } from './logProbs';
import { loraLinearRef, scaleColumnsRef, segmentAttentionRef, segmentRopeRef, sequenceLogProbsRef, spliceRowsRef } from './reference';
import { loraLinear } from './loraLinear';
import { quantizeNF4, dequantizeNF4Ref } from '../../kernels/quant';
import { quantizedWeight } from '../../kernels/quantized-weight';
import { spliceFeatures } from './splice';
import { scaleColumns } from './rowScale';
import { segmentAttention, segmentRope, type Segment } from './segments';

const B = 2, T = 6, NH = 4, NKV = 2, hs = 4;
const segments: Segment[] = [
	{ row: 0, start: 0, length: 2 }, { row: 0, start: 2, length: 4 },
	{ row: 1, start: 0, length: 3 }, { row: 1, start: 3, length: 1 }, { row: 1, start: 4, length: 2 }
];

const grad = (t: Tensor) => (t.grad as Tensor).toArray();

describe('composite ops', () => {
	it('segment attention matches the per-segment reference, forward and backward', () => {
		const qa = randomArray(B * T * NH * hs, 1), ka = randomArray(B * T * NKV * hs, 2), va = randomArray(B * T * NKV * hs, 3);
		const r = randomArray(B * T * NH * hs, 4);
		beginStep();
		const q = fromArray(qa, [B, T, NH, hs], { requiresGrad: true });
		const k = fromArray(ka, [B, T, NKV, hs], { requiresGrad: true });
		const v = fromArray(va, [B, T, NKV, hs], { requiresGrad: true });
		const out = segmentAttention(q, k, v, segments);
		const f = (qq: ArrayLike<number>, kk: ArrayLike<number>, vv: ArrayLike<number>) => segmentAttentionRef(qq, kk, vv, B, T, NH, NKV, hs, segments);
		expect(relError(out.toArray(), f(qa, ka, va))).toBeLessThan(1e-5);
		backward(out, r);
		// The reference's own gradient, by finite differences of <f, r>.
		expect(relError(grad(q), numericGrad((x) => dot(f(x, ka, va), r), Float64Array.from(qa)))).toBeLessThan(1e-4);
		expect(relError(grad(k), numericGrad((x) => dot(f(qa, x, va), r), Float64Array.from(ka)))).toBeLessThan(1e-4);
		expect(relError(grad(v), numericGrad((x) => dot(f(qa, ka, x), r), Float64Array.from(va)))).toBeLessThan(1e-4);
	});

	it('segment RoPE restarts positions at every segment', () => {
		const xa = randomArray(B * T * NH * hs, 5);
		const r = randomArray(xa.length, 6);
		const { cos, sin } = ropeTables(8, hs, 10000);
		beginStep();
		const x = fromArray(xa, [B, T, NH, hs], { requiresGrad: true });
		const y = segmentRope(x, ropeTable(8, hs), segments);
		const f = (xx: ArrayLike<number>) => segmentRopeRef(xx, T, NH, hs, cos, sin, segments);
		expect(relError(y.toArray(), f(xa))).toBeLessThan(1e-5);
		backward(y, r);
		expect(relError(grad(x), numericGrad((z) => dot(f(z), r), Float64Array.from(xa)))).toBeLessThan(1e-4);
	});

	it('sequence log-probabilities and a host scalar loss on top of them', () => {
		const V = 7;
		const la = randomArray(B * T * V, 7, 2);
		const targets = Int32Array.from({ length: B * T }, (_, i) => (i % 4 === 1 ? -100 : (i * 3) % V));
		beginStep();
		const logits = fromArray(la, [B, T, V], { requiresGrad: true });
		const lp = sequenceLogProbs(logits, fromArray(targets, [B, T], { dtype: 'i32' }));
		const f = (x: ArrayLike<number>) => sequenceLogProbsRef(x, targets, B, T, V);
		expect(relError(lp.toArray(), f(la))).toBeLessThan(1e-5);
		// loss = (lp0 - 2 lp1)^2 / 2 computed on the host
		const g = (p: ArrayLike<number>) => ({ value: (p[0] - 2 * p[1]) ** 2 / 2, grad: [p[0] - 2 * p[1], -2 * (p[0] - 2 * p[1])] });
		const loss = hostScalar(lp, g);
		backward(loss);
		const numeric = numericGrad((x) => g(f(x)).value, Float64Array.from(la));
		expect(relError(grad(logits), numeric)).toBeLessThan(1e-3);
	});

	/** scaleColumns on seeded (N, OUT) inputs, backward from seeded r: values, gradients and the float64 forward. */
	function scaleColumnsCase(N: number, OUT: number, seed: number) {
		const ha = randomArray(N * OUT, seed), ma = randomArray(OUT, seed + 1), c = Float32Array.from(randomArray(OUT, seed + 2));
		const r = randomArray(N * OUT, seed + 3);
		beginStep();
		const h = fromArray(ha, [N, OUT], { requiresGrad: true });
		const m = fromArray(ma, [OUT], { requiresGrad: true });
		const y = scaleColumns(h, m, c);
		expect(relError(y.toArray(), scaleColumnsRef(ha, ma, c, N, OUT))).toBeLessThan(1e-6);
		backward(y, r);
		return { ha, ma, c, r, dh: grad(h), dm: grad(m) };
	}

	it('column scaling with a trainable magnitude', () => {
		const N = 3, OUT = 5;
		const { ha, ma, c, r, dh, dm } = scaleColumnsCase(N, OUT, 8);
		expect(relError(dh, numericGrad((x) => dot(scaleColumnsRef(x, ma, c, N, OUT), r), Float64Array.from(ha)))).toBeLessThan(1e-5);
		expect(relError(dm, numericGrad((x) => dot(scaleColumnsRef(ha, x, c, N, OUT), r), Float64Array.from(ma)))).toBeLessThan(1e-5);
	});

	it('column scaling over a tower-sized batch, split across threads', () => {
		const N = 1100, OUT = 66;
		const { ha, ma, c, r, dh, dm } = scaleColumnsCase(N, OUT, 12);
		// d/dh = r * m * c; d/dm = c * sum over rows of r * h, both in float64.
		expect(relError(dh, Float64Array.from(r, (v, i) => v * ma[i % OUT] * c[i % OUT]))).toBeLessThan(1e-6);
		const sums = new Float64Array(OUT);
		for (let i = 0; i < N * OUT; i++) sums[i % OUT] += r[i] * ha[i];
		expect(relError(dm, sums.map((v, o) => v * c[o]))).toBeLessThan(1e-5);
	});

	it('splicing feature rows into embeddings routes gradients to both', () => {
		const C = 3, N = 5, positions = [3, 1];
		const xa = randomArray(N * C, 12), fa = randomArray(2 * C, 13), r = randomArray(N * C, 14);
		beginStep();
		const x = fromArray(xa, [1, N, C], { requiresGrad: true });
		const f = fromArray(fa, [2, C], { requiresGrad: true });
		const y = spliceFeatures(x, [{ features: f, rows: Int32Array.from(positions) }]);
		expect(relError(y.toArray(), spliceRowsRef(xa, positions, fa, C))).toBe(0);
		backward(y, r);
		expect(relError(grad(x), numericGrad((z) => dot(spliceRowsRef(z, positions, fa, C), r), Float64Array.from(xa)))).toBeLessThan(1e-6);
		expect(relError(grad(f), numericGrad((z) => dot(spliceRowsRef(xa, positions, z, C), r), Float64Array.from(fa)))).toBeLessThan(1e-6);
	});

	it('the fused LoRA projection: forward, gradients of x, xd, A, B; quantised base', () => {
		const N = 5, IN = 8, OUT = 6, r = 3, sc = 1.7;
		const xa = randomArray(N * IN, 15), xda = randomArray(N * IN, 16), wa = randomArray(OUT * IN, 17), aa = randomArray(r * IN, 18), ba = randomArray(OUT * r, 19);
		const rr = randomArray(N * OUT, 20);
		beginStep();
		const x = fromArray(xa, [N, IN], { requiresGrad: true });
		const xd = fromArray(xda, [N, IN], { requiresGrad: true });
		const A = fromArray(aa, [r, IN], { requiresGrad: true });
		const B = fromArray(ba, [OUT, r], { requiresGrad: true });
		const y = loraLinear(x, xd, { weight: fromArray(wa, [OUT, IN]) }, A, B, sc);
		const f = (p: Float64Array[]) => loraLinearRef(p[0], p[1], wa, p[2], p[3], sc, N, IN, OUT, r);
		const inputs = [xa, xda, aa, ba].map((v) => Float64Array.from(v));
		expect(relError(y.toArray(), f(inputs))).toBeLessThan(1e-5);
		backward(y, rr);
		[x, xd, A, B].forEach((t, k) => {
			const numeric = numericGrad((z) => dot(f(inputs.map((v, j) => (j === k ? z : v))), rr), Float64Array.from(inputs[k]));
			expect(relError(grad(t), numeric)).toBeLessThan(1e-4);
		});
		// The same op over an NF4 base equals the reference over the dequantised weight.
		const q = quantizeNF4(wa, OUT, IN);
		const yq = loraLinear(x, x, { quantized: quantizedWeight(q) }, A, B, sc);
		expect(relError(yq.toArray(), loraLinearRef(xa, xa, dequantizeNF4Ref(q), aa, ba, sc, N, IN, OUT, r))).toBeLessThan(1e-5);
	});
});
