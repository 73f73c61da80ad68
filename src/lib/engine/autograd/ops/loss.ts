// Cross-entropy over logits with ignore-index, and the embedding lookup.

import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';

export const IGNORE_INDEX = -100;

/**
 * Mean cross-entropy of logits (..., V) against integer targets (...) (i32), skipping rows whose
 * target is ignoreIndex. Returns a one-element tensor.
 */
export function crossEntropy(logits: Tensor, targets: Tensor, ignoreIndex = IGNORE_INDEX): Tensor {
	const [N, V] = rowsCols(logits);
	if (targets.size !== N || targets.dtype !== 'i32') throw new Error(`engine: crossEntropy needs ${N} i32 targets`);
	const grad = needsGrad(logits);
	const losses = empty([N]);
	const lse = empty([N]);
	runSplit('crossEntropyForward', N, N * V * 2, 1, (r0, r1) => [logits.ptr, targets.ptr, losses.ptr, lse.ptr, V, ignoreIndex, r0, r1]);
	const t = targets.i32();
	let count = 0;
	for (let i = 0; i < N; i++) if (t[i] !== ignoreIndex) count++;
	const per = losses.f32();
	let total = 0;
	for (let i = 0; i < N; i++) total += per[i];
	const loss = empty([1], { requiresGrad: grad });
	loss.f32()[0] = count > 0 ? total / count : 0;
	if (grad && count > 0) {
		record(() => {
			const dl = loss.grad;
			const dlogits = gradPtr(logits);
			if (!dl || !dlogits) return;
			const s = dl.f32()[0] / count;
			runSplit('crossEntropyBackward', N, N * V * 2, 1, (r0, r1) => [logits.ptr, targets.ptr, lse.ptr, dlogits, V, ignoreIndex, s, r0, r1]);
		});
	}
	return loss;
}

/** Rows of table (V, C) picked by ids (i32, any shape): result (...ids.shape, C). */
export function embedding(table: Tensor, ids: Tensor): Tensor {
	const C = table.shape[1];
	const N = ids.size;
	const grad = needsGrad(table);
	const y = empty([...ids.shape, C], { requiresGrad: grad });
	runSplit('embeddingForward', N, N * C, 1, (r0, r1) => [table.ptr, ids.ptr, y.ptr, C, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dt = gradPtr(table);
			if (dy && dt) runSplit('embeddingBackward', C, N * C, 4, (c0, c1) => [dy.ptr, ids.ptr, dt, N, C, c0, c1]);
		});
	}
	return y;
}
