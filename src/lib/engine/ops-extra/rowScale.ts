// y (N, OUT) = h (N, OUT) * m (OUT) * c (OUT): the DoRA magnitude step. m is the trainable magnitude,
// c = 1 / ||W + s B A||_row is a constant (the DoRA paper detaches the norm, section 4.3, so no
// gradient flows through it). Plain TypeScript: OUT-wide vectors and adapter-sized layers only.

import { gradPtr, rowsCols } from '../autograd/grad';
import { needsGrad, record } from '../autograd/tape';
import { empty } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

export function scaleColumns(h: Tensor, m: Tensor, c: Float32Array): Tensor {
	const [N, OUT] = rowsCols(h);
	if (m.size !== OUT || c.length !== OUT) throw new Error(`engine: scaleColumns of width ${OUT} by ${m.size}`);
	const grad = needsGrad(h, m);
	const y = empty(h.shape, { requiresGrad: grad });
	const mv = m.f32();
	const s = Float32Array.from(mv, (v, o) => v * c[o]);
	const hv = h.f32();
	const yv = y.f32();
	for (let n = 0; n < N; n++) for (let o = 0; o < OUT; o++) yv[n * OUT + o] = hv[n * OUT + o] * s[o];
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dyv = dy.f32();
			if (h.requiresGrad) {
				gradPtr(h);
				const dh = (h.grad as Tensor).f32();
				for (let n = 0; n < N; n++) for (let o = 0; o < OUT; o++) dh[n * OUT + o] += dyv[n * OUT + o] * s[o];
			}
			if (m.requiresGrad) {
				gradPtr(m);
				const dm = (m.grad as Tensor).f32();
				const hv2 = h.f32();
				const acc = new Float64Array(OUT);
				for (let n = 0; n < N; n++) for (let o = 0; o < OUT; o++) acc[o] += dyv[n * OUT + o] * hv2[n * OUT + o];
				for (let o = 0; o < OUT; o++) dm[o] += acc[o] * c[o];
			}
		});
	}
	return y;
}
