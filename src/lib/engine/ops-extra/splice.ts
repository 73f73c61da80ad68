// Splicing encoder features into token embeddings (the multimodal input path): rows of x at the
// media placeholder positions are replaced by rows of features, so an image's or a clip's
// features sit where its <image>/<audio>/<video> token was. Gradients flow to both: the text rows
// to the embedding table, the spliced rows to the tower/aligner that produced them.

import { gradPtr, rowsCols } from '../autograd/grad';
import { needsGrad, record } from '../autograd/tape';
import { empty } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

/** x (..., C) viewed as rows; positions (n) row indices; features (n, C). Returns a new (..., C). */
export function spliceRows(x: Tensor, positions: ArrayLike<number>, features: Tensor): Tensor {
	const [N, C] = rowsCols(x);
	const n = positions.length;
	if (features.size !== n * C) throw new Error(`engine: ${n} positions need features of ${n} x ${C}, got [${features.shape}]`);
	const seen = new Set<number>();
	for (let i = 0; i < n; i++) {
		const p = positions[i];
		if (!Number.isInteger(p) || p < 0 || p >= N || seen.has(p)) throw new Error(`engine: splice position ${p} is out of range or repeated`);
		seen.add(p);
	}
	const grad = needsGrad(x, features);
	const y = empty(x.shape, { requiresGrad: grad });
	const yv = y.f32();
	yv.set(x.f32());
	const fv = features.f32();
	for (let i = 0; i < n; i++) yv.set(fv.subarray(i * C, (i + 1) * C), positions[i] * C);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			const dyv = dy.f32();
			if (x.requiresGrad) {
				gradPtr(x);
				const dx = (x.grad as Tensor).f32();
				for (let r = 0; r < N; r++) {
					if (seen.has(r)) continue;
					for (let c = 0; c < C; c++) dx[r * C + c] += dyv[r * C + c];
				}
			}
			if (features.requiresGrad) {
				gradPtr(features);
				const df = (features.grad as Tensor).f32();
				for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) df[i * C + c] += dyv[positions[i] * C + c];
			}
		});
	}
	return y;
}
