// y (N, OUT) = h (N, OUT) * m (OUT) * c (OUT): a per-column scale with a trainable m and a constant c.
// DoRA's magnitude step uses it with c = 1 / ||W + s B A||_row (the DoRA paper detaches the norm,
// section 4.3, so no gradient flows through c); the vision and audio towers' LayerScale with c = 1.
// The towers call it on every token of every block, so it runs on the kernels.

import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';
import { runSplit } from '../../kernels/parallel';
import { empty, fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

export function scaleColumns(h: Tensor, m: Tensor, c: Float32Array): Tensor {
	const [N, OUT] = rowsCols(h);
	if (m.size !== OUT || c.length !== OUT) throw new Error(`engine: scaleColumns of width ${OUT} by ${m.size}`);
	const grad = needsGrad(h, m);
	const y = empty(h.shape, { requiresGrad: grad });
	const mv = m.f32();
	const s = fromArray(Float32Array.from(mv, (v, o) => v * c[o]), [OUT]);
	runSplit('scaleColumnsForward', N, N * OUT, 1, (r0, r1) => [h.ptr, s.ptr, y.ptr, OUT, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			if (h.requiresGrad) runSplit('scaleColumnsBackward', N, N * OUT, 1, (r0, r1) => [s.ptr, dy.ptr, gradPtr(h), OUT, r0, r1]);
			if (m.requiresGrad) {
				const dots = empty([OUT]);
				runSplit('columnDots', OUT, N * OUT, 4, (c0, c1) => [h.ptr, dy.ptr, dots.ptr, N, OUT, c0, c1]);
				gradPtr(m);
				const dm = (m.grad as Tensor).f32();
				const dv = dots.f32();
				for (let o = 0; o < OUT; o++) dm[o] += dv[o] * c[o];
			}
		});
	}
	return y;
}
