// y[r] = x[order[r]] over rows of width D: a permutation (or any gather) of rows. Backward adds each
// output row's gradient to the row it came from.

import { gradPtr } from '../grad';
import { needsGrad, record } from '../tape';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

/** x (..., D) viewed as rows -> (order.length, D). */
export function gatherRows(x: Tensor, order: Int32Array): Tensor {
	const D = x.shape[x.shape.length - 1];
	const R = x.size / D;
	for (const r of order) if (r < 0 || r >= R) throw new Error(`engine: row ${r} outside ${R} rows`);
	const grad = needsGrad(x);
	const y = empty([order.length, D], { requiresGrad: grad });
	const xv = x.f32();
	const yv = y.f32();
	for (let i = 0; i < order.length; i++) yv.set(xv.subarray(order[i] * D, order[i] * D + D), i * D);
	if (grad) {
		record(() => {
			if (!y.grad || !gradPtr(x)) return;
			const g = y.grad.f32();
			const dx = (x.grad as Tensor).f32();
			for (let i = 0; i < order.length; i++) for (let d = 0; d < D; d++) dx[order[i] * D + d] += g[i * D + d];
		});
	}
	return y;
}
