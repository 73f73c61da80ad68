// Kernels split across helper threads over the shared memory give the single-thread results.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemm } from '../kernels/gemm';
import { matmulRef } from '../kernels/reference/matmul';
import { attentionRef } from '../kernels/reference/sequence';
import { randomArray, relError } from '../kernels/reference/compare';
import { empty, fromArray } from '../tensor/create';
import { engine, initThreads, shutdownThreads } from '../tensor/runtime';
import { causalAttention, gelu } from '../autograd/ops/index';
import { splitRange } from './pool';
import { GPT2 } from '../../../../test/reference/gpt2';
import { ResumableAdamW } from '../train/optimizer';
import { backward, beginStep } from '../autograd/tape';

describe('kernel thread pool', () => {
	beforeAll(async () => {
		await initThreads(2);
	});
	afterAll(async () => {
		await shutdownThreads();
	});

	it('splits ranges on alignment boundaries, covering everything once', () => {
		expect(splitRange(100, 3, 8)).toEqual([[0, 32], [32, 64], [64, 100]]);
		expect(splitRange(5, 4, 8)).toEqual([[0, 5]]);
		expect(splitRange(0, 2)).toEqual([]);
	});

	it('runs with two threads', () => {
		expect(engine().threads).toBe(2);
	});

	for (const [M, N, K] of [[70, 90, 50], [150, 36, 60]]) {
		it(`gemm ${M}x${N}x${K} split over threads (by ${N >= M ? 'columns' : 'rows'})`, () => {
			beginStep();
			const a = randomArray(M * K, 1), b = randomArray(N * K, 2);
			const c = empty([M * N]);
			gemm({ a: fromArray(a, [M * K]).ptr, b: fromArray(b, [N * K]).ptr, c: c.ptr, M, N, K, transB: true });
			expect(relError(c.f32(), matmulRef(a, b, M, N, K, false, true))).toBeLessThan(1e-5);
		});
	}

	it('attention and element-wise kernels split over threads', () => {
		beginStep();
		const s = { B: 2, T: 16, NH: 4, NKV: 4, hs: 32 };
		const n = s.B * s.T * s.NH * s.hs;
		const q = randomArray(n, 3), k = randomArray(n, 4), v = randomArray(n, 5);
		const shape = [s.B, s.T, s.NH, s.hs];
		const out = causalAttention(fromArray(q, shape), fromArray(k, shape), fromArray(v, shape));
		expect(relError(out.f32(), attentionRef(q, k, v, s))).toBeLessThan(2e-5);
		const x = randomArray(1 << 17, 6);
		const y = gelu(fromArray(x, [x.length]));
		const yf = y.f32();
		expect(yf[(1 << 17) - 1]).toBeCloseTo(0.5 * x[(1 << 17) - 1] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x[(1 << 17) - 1] + 0.044715 * x[(1 << 17) - 1] ** 3))), 5);
	});

	it('training is bitwise identical with one thread and with two (each output has one owner)', async () => {
		const run = () => {
			const model = new GPT2({ vocabSize: 64, maxSeqLen: 32, layers: 2, heads: 2, channels: 64 }, 5);
			const opt = new ResumableAdamW(model.namedParameters(), { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 0 });
			const tokens = fromArray(Int32Array.from({ length: 4 * 32 }, (_, i) => (i * 5) % 64), [4, 32], { dtype: 'i32', lifetime: 'persistent' });
			const losses: number[] = [];
			for (let i = 0; i < 3; i++) {
				beginStep();
				const { loss } = model.forward(tokens, tokens);
				if (!loss) throw new Error('no loss');
				losses.push(loss.item());
				backward(loss);
				opt.step(1e-3);
			}
			return [...losses, ...model.flat.f32().subarray(0, 1000)];
		};
		const two = run();
		await shutdownThreads();
		const one = run();
		await initThreads(2);
		expect(one).toEqual(two);
	});
});
