// The frozen quantised linear (QLoRA base weights): forward and input gradient against float64
// matmuls with the dequantised weight; the weight itself gets no gradient.

import { describe, expect, it } from 'vitest';
import { dequantizeInt8Ref, dequantizeNF4Ref, quantizeInt8, quantizeNF4 } from '../../kernels/quant';
import { quantizedWeight } from '../../kernels/quantized-weight';
import { linearBackwardRef, linearRef } from '../../kernels/reference/matmul';
import { randomArray, relError } from '../../kernels/reference/compare';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { backward, beginStep } from '../tape';
import { linearQuantized } from './linear';

describe('linearQuantized', () => {
	for (const kind of ['int8', 'nf4'] as const) {
		it(`${kind}: y = x dequant(W)^T + b and its gradients`, () => {
			beginStep();
			const [N, IN, OUT] = [5, 70, 11];
			const w = randomArray(OUT * IN, 1, 0.3);
			const q = kind === 'int8' ? quantizeInt8(w, OUT, IN) : quantizeNF4(w, OUT, IN);
			const deq = kind === 'int8' ? dequantizeInt8Ref(q as ReturnType<typeof quantizeInt8>) : dequantizeNF4Ref(q as ReturnType<typeof quantizeNF4>);
			const xv = randomArray(N * IN, 2), bv = randomArray(OUT, 3);
			const x = fromArray(xv, [N, IN], { requiresGrad: true });
			const b = fromArray(bv, [OUT], { requiresGrad: true });
			const y = linearQuantized(x, quantizedWeight(q), b);
			expect(relError(y.f32(), linearRef(xv, deq, bv, N, IN, OUT))).toBeLessThan(2e-5);
			const r = randomArray(N * OUT, 4);
			backward(y, r);
			const g = linearBackwardRef(xv, deq, r, N, IN, OUT);
			expect(relError((x.grad as Tensor).f32(), g.dx)).toBeLessThan(2e-5);
			expect(relError((b.grad as Tensor).f32(), g.db)).toBeLessThan(2e-5);
		});
	}
});
