import { describe, expect, it } from 'vitest';
import { linear, reshape } from './index';
import { backward, beginStep } from '../tape';
import { relError } from '../../kernels/reference/compare';
import { attentionBackwardRef, attentionRef } from '../../kernels/reference/sequence';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradError, seededValues, testParameter } from './gradCheck';
import { addPositions, addTemporal } from './addIndexed';
import { bidirectionalAttention } from './bidirectionalAttention';
import { gatherRows } from './gatherRows';
import { spliceFeatures } from './splice';

describe('multimodal ops', () => {
	it('bidirectional attention matches finite differences and lets early tokens see later ones', () => {
		const qkv = testParameter([2, 5, 3 * 8], 11);
		expect(gradError(() => bidirectionalAttention(qkv, 2), [qkv])).toBeLessThan(2e-2);
		// Changing the last token's value changes the first token's output (no causal mask).
		const before = bidirectionalAttention(qkv, 2).toArray().slice(0, 8);
		qkv.f32()[4 * 24 + 16] += 1;
		const after = bidirectionalAttention(qkv, 2).toArray().slice(0, 8);
		expect(after).not.toEqual(before);
	});

	it('bidirectional attention matches the float64 reference, gradients included', () => {
		const [B, T, NH, hs] = [3, 7, 3, 5];
		const C = NH * hs;
		const qkv = testParameter([B, T, 3 * C], 14);
		beginStep();
		const y = bidirectionalAttention(qkv, NH);
		const r = seededValues(y.size, 16);
		backward(y, r);
		const x = qkv.toArray();
		// The reference takes q, k, v as separate (B, T, NH, hs) arrays.
		const third = (i: number) => Float64Array.from({ length: B * T * C }, (_, n) => x[Math.floor(n / C) * 3 * C + i * C + (n % C)]);
		const s = { B, T, NH, NKV: NH, hs };
		expect(relError(y.toArray(), attentionRef(third(0), third(1), third(2), s, false))).toBeLessThan(2e-5);
		const g = attentionBackwardRef(third(0), third(1), third(2), r, s, false);
		const dx = (qkv.grad as Tensor).toArray();
		const dThird = (i: number) => Float64Array.from({ length: B * T * C }, (_, n) => dx[Math.floor(n / C) * 3 * C + i * C + (n % C)]);
		expect(relError(dThird(0), g.dq)).toBeLessThan(2e-5);
		expect(relError(dThird(1), g.dk)).toBeLessThan(2e-5);
		expect(relError(dThird(2), g.dv)).toBeLessThan(2e-5);
	});

	it('splice gradients go to the features at their rows and to the embeddings elsewhere', () => {
		const embeds = testParameter([2, 4, 3], 21);
		const feats = testParameter([3, 3], 22);
		const rows = Int32Array.from([1, 2, 6]);
		expect(gradError(() => spliceFeatures(embeds, [{ features: feats, rows }]), [embeds, feats])).toBeLessThan(1e-2);
	});

	it('splice writes each feature row at its flat position and leaves the others', () => {
		const e = fromArray(seededValues(2 * 4 * 3, 5), [2, 4, 3]);
		const a = fromArray([1, 1, 1, 2, 2, 2], [2, 3]);
		const b = fromArray([9, 9, 9], [1, 3]);
		const y = spliceFeatures(e, [{ features: a, rows: Int32Array.from([1, 2]) }, { features: b, rows: Int32Array.from([5]) }]).toArray();
		const ev = e.toArray();
		for (let r = 0; r < 8; r++) {
			const expected = r === 1 ? [1, 1, 1] : r === 2 ? [2, 2, 2] : r === 5 ? [9, 9, 9] : Array.from(ev.subarray(r * 3, r * 3 + 3));
			expect(Array.from(y.subarray(r * 3, r * 3 + 3))).toEqual(expected);
		}
		expect(() => spliceFeatures(e, [{ features: b, rows: Int32Array.from([8]) }])).toThrow(/outside/);
	});

	it('position and temporal embeddings match finite differences', () => {
		const x = testParameter([4, 3, 5], 31);
		const pos = testParameter([3, 5], 32);
		const time = testParameter([2, 5], 33);
		expect(gradError(() => addPositions(x, pos), [x, pos])).toBeLessThan(1e-2);
		expect(gradError(() => addTemporal(x, time, 3), [x, time])).toBeLessThan(1e-2);
		// Frame k of every video gets embedding k: rows 0-2 frame 0, 3-5 frame 1, 6-8 frame 0 again.
		const y = addTemporal(fromArray(new Float32Array(60), [4, 3, 5]), time, 3).toArray();
		const t = time.toArray();
		expect(y[0]).toBeCloseTo(t[0]);
		expect(y[3 * 5]).toBeCloseTo(t[5]);
		expect(y[6 * 5]).toBeCloseTo(t[0]);
	});

	it('row gathering matches finite differences, and a row used twice gets both gradients', () => {
		const x = testParameter([4, 3], 71);
		expect(gradError(() => gatherRows(x, Int32Array.from([2, 0, 3, 1])), [x])).toBeLessThan(1e-2);
		expect(gradError(() => gatherRows(x, Int32Array.from([1, 1, 3])), [x])).toBeLessThan(1e-2);
		expect(Array.from(gatherRows(fromArray([1, 2, 3, 4], [2, 2]), Int32Array.from([1, 0])).toArray())).toEqual([3, 4, 1, 2]);
		expect(() => gatherRows(x, Int32Array.from([4]))).toThrow(/outside/);
	});

	it('frame-stacking subsampling is a stride-k convolution with exact gradients', () => {
		// (frames 8, mels 3) stacked by 4 -> 2 tokens of 12, through a (5, 12) kernel.
		const mel = testParameter([8, 3], 41);
		const w = testParameter([5, 12], 42, 0.5);
		const f = () => linear(reshape(mel, [2, 12]), w);
		expect(gradError(f, [mel, w])).toBeLessThan(1e-2);
		// Token 1 depends on frames 4..7 only.
		const y0 = f().toArray();
		mel.f32()[2 * 3] += 1;
		expect(f().toArray().slice(5)).toEqual(y0.slice(5));
	});
});
