// Mean over the tokens of each item: x (B, N, D) -> (B, D). Backward: every token of item b gets
// dy[b] / N.

import { gradPtr } from '../../../autograd/grad';
import { needsGrad, record } from '../../../autograd/tape';
import { empty } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';

export function meanTokens(x: Tensor): Tensor {
	const [B, N, D] = x.shape;
	const grad = needsGrad(x);
	const y = empty([B, D], { requiresGrad: grad });
	const xv = x.f32();
	const yv = y.f32();
	const acc = new Float64Array(D);
	for (let b = 0; b < B; b++) {
		acc.fill(0);
		for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) acc[d] += xv[(b * N + n) * D + d];
		for (let d = 0; d < D; d++) yv[b * D + d] = acc[d] / N;
	}
	if (grad) {
		record(() => {
			if (!y.grad || !gradPtr(x)) return;
			const g = y.grad.f32();
			const dx = (x.grad as Tensor).f32();
			for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) for (let d = 0; d < D; d++) dx[(b * N + n) * D + d] += g[b * D + d] / N;
		});
	}
	return y;
}
