// LayerNorm and RMSNorm over the last dimension, with gradients.

import { runSplit } from '../../kernels/parallel';
import { engine } from '../../tensor/runtime';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';

/** y = (x - mean) / sqrt(var + eps) * w + b over the last dimension C; w, b (C). */
export function layerNorm(x: Tensor, w: Tensor, b: Tensor, eps = 1e-5): Tensor {
	const [N, C] = rowsCols(x);
	const grad = needsGrad(x, w, b);
	const y = empty(x.shape, { requiresGrad: grad });
	const mean = empty([N]);
	const rstd = empty([N]);
	runSplit('layerNormForward', N, N * C, 1, (r0, r1) => [x.ptr, w.ptr, b.ptr, y.ptr, mean.ptr, rstd.ptr, C, eps, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			// The kernel always writes all three; missing gradients go to scratch.
			const dx = gradPtr(x) || empty(x.shape).ptr;
			const dw = gradPtr(w) || empty([C]).fill(0).ptr;
			const db = gradPtr(b) || empty([C]).fill(0).ptr;
			const e = engine();
			e.timed('layerNormBackward', () => e.kernels.layerNormBackward(x.ptr, w.ptr, mean.ptr, rstd.ptr, dy.ptr, dx, dw, db, N, C));
		});
	}
	return y;
}

/** y = x / sqrt(mean(x^2) + eps) * w over the last dimension C; w (C). */
export function rmsNorm(x: Tensor, w: Tensor, eps = 1e-6): Tensor {
	const [N, C] = rowsCols(x);
	const grad = needsGrad(x, w);
	const y = empty(x.shape, { requiresGrad: grad });
	const rstd = empty([N]);
	runSplit('rmsNormForward', N, N * C, 1, (r0, r1) => [x.ptr, w.ptr, y.ptr, rstd.ptr, C, eps, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dx = gradPtr(x) || empty(x.shape).ptr;
			const dw = gradPtr(w) || empty([C]).fill(0).ptr;
			const e = engine();
			e.timed('rmsNormBackward', () => e.kernels.rmsNormBackward(x.ptr, w.ptr, rstd.ptr, dy.ptr, dx, dw, N, C));
		});
	}
	return y;
}
