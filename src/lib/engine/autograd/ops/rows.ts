// Row-wise ops with gradients: a row's L2 norm, scaling rows by per-row factors, element-wise
// division. Together they express weight-decomposed adapters (DoRA): m * V / ||V||_row.

import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';

/** x (..., C) -> (...) L2 norm of each row. */
export function rowNorm(x: Tensor): Tensor {
	const [N, C] = rowsCols(x);
	const grad = needsGrad(x);
	const y = empty(x.shape.slice(0, -1).length > 0 ? x.shape.slice(0, -1) : [1], { requiresGrad: grad });
	runSplit('rowNormForward', N, N * C, 1, (r0, r1) => [x.ptr, y.ptr, C, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) runSplit('rowNormBackward', N, N * C, 1, (r0, r1) => [x.ptr, y.ptr, dy.ptr, dx, C, r0, r1]);
		});
	}
	return y;
}

/** x (..., C) times s (one factor per row) -> (..., C). */
export function scaleRows(x: Tensor, s: Tensor): Tensor {
	const [N, C] = rowsCols(x);
	if (s.size !== N) throw new Error(`engine: scaleRows needs ${N} factors, got [${s.shape}]`);
	const grad = needsGrad(x, s);
	const y = empty(x.shape, { requiresGrad: grad });
	runSplit('scaleRowsForward', N, N * C, 1, (r0, r1) => [x.ptr, s.ptr, y.ptr, C, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dx = gradPtr(x) || empty(x.shape).ptr;
			const ds = gradPtr(s) || empty(s.shape).fill(0).ptr;
			runSplit('scaleRowsBackward', N, N * C, 1, (r0, r1) => [x.ptr, s.ptr, dy.ptr, dx, ds, C, r0, r1]);
		});
	}
	return y;
}

/** a / b element-wise (same shape). */
export function div(a: Tensor, b: Tensor): Tensor {
	if (a.size !== b.size) throw new Error(`engine: div of [${a.shape}] and [${b.shape}]`);
	const grad = needsGrad(a, b);
	const y = empty(a.shape, { requiresGrad: grad });
	runSplit('div', a.size, a.size, 4, (i0, i1) => [a.ptr, b.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const da = gradPtr(a) || empty(a.shape).ptr;
			const db = gradPtr(b) || empty(b.shape).ptr;
			runSplit('divBackward', a.size, a.size, 4, (i0, i1) => [a.ptr, b.ptr, dy.ptr, da, db, i0, i1]);
		});
	}
	return y;
}
