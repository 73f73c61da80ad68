// Gradient accumulation: two micro-batches' backward passes sum into persistent parameter gradients,
// equal to one pass over the whole batch (with the loss scaled per micro-batch).

import { describe, expect, it } from 'vitest';
import { randomArray, relError } from '../kernels/reference/compare';
import { fromArray, parameter } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { crossEntropy, linear, scale } from './ops/index';
import { backward, beginStep } from './tape';

describe('gradient accumulation', () => {
	it('micro-batches sum to the full-batch gradient', () => {
		const [N, IN, V] = [8, 6, 5];
		const w = parameter([V, IN], 'w', randomArray(V * IN, 1));
		const xs = randomArray(N * IN, 2);
		const ts = Int32Array.from({ length: N }, (_, i) => (i * 3) % V);
		beginStep();
		backward(crossEntropy(linear(fromArray(xs, [N, IN]), w), fromArray(ts, [N], { dtype: 'i32' })));
		const full = Float64Array.from((w.grad as Tensor).f32());
		(w.grad as Tensor).fill(0);
		for (const half of [0, 1]) {
			beginStep();
			const x = fromArray(xs.subarray(half * (N / 2) * IN, (half + 1) * (N / 2) * IN), [N / 2, IN]);
			const t = fromArray(ts.subarray(half * (N / 2), (half + 1) * (N / 2)), [N / 2], { dtype: 'i32' });
			backward(scale(crossEntropy(linear(x, w), t), 0.5));
		}
		expect(relError((w.grad as Tensor).f32(), full)).toBeLessThan(1e-5);
	});
});
