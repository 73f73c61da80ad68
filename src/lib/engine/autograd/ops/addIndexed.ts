// y[r] = x[r] + e[index(r)] over rows of width D: one op for the learned embeddings the towers add,
// which differ only in how rows map to embedding rows. A position embedding (N, D) over a batch of
// (B, N, D) tokens uses r % N; a temporal embedding (K, D) over video frames (V * K, N, D) uses
// floor(r / N) % K. The backward sums each embedding row's gradient over the rows that used it.

import { gradPtr } from '../grad';
import { needsGrad, record } from '../tape';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

export function addIndexed(x: Tensor, e: Tensor, index: (row: number) => number): Tensor {
	const D = x.shape[x.shape.length - 1];
	const E = e.size / D;
	if (e.shape[e.shape.length - 1] !== D) throw new Error(`engine: embedding [${e.shape}] for rows of width ${D}`);
	const R = x.size / D;
	const map = new Int32Array(R);
	for (let r = 0; r < R; r++) {
		map[r] = index(r);
		if (map[r] < 0 || map[r] >= E) throw new Error(`engine: row ${r} maps to embedding ${map[r]} of ${E}`);
	}
	const grad = needsGrad(x, e);
	const y = empty(x.shape, { requiresGrad: grad });
	const xv = x.f32();
	const ev = e.f32();
	const yv = y.f32();
	for (let r = 0; r < R; r++) for (let d = 0; d < D; d++) yv[r * D + d] = xv[r * D + d] + ev[map[r] * D + d];
	if (grad) {
		record(() => {
			if (!y.grad) return;
			gradPtr(x);
			gradPtr(e);
			const g = y.grad.f32();
			if (x.requiresGrad && x.grad) {
				const dx = x.grad.f32();
				for (let i = 0; i < x.size; i++) dx[i] += g[i];
			}
			if (e.requiresGrad && e.grad) {
				const de = e.grad.f32();
				for (let r = 0; r < R; r++) for (let d = 0; d < D; d++) de[map[r] * D + d] += g[r * D + d];
			}
		});
	}
	return y;
}

/** Position embedding pos (N, D) added to every item of x (B, N, D). */
export function addPositions(x: Tensor, pos: Tensor): Tensor {
	const N = pos.shape[0];
	return addIndexed(x, pos, (r) => r % N);
}

/** Temporal embedding t (K, D) added to every token of frame k of x (V * K, N, D). */
export function addTemporal(x: Tensor, t: Tensor, tokensPerFrame: number): Tensor {
	const K = t.shape[0];
	return addIndexed(x, t, (r) => Math.floor(r / tokensPerFrame) % K);
}
