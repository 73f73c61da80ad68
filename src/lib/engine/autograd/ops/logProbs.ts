// Per-sequence log-likelihoods, the quantity every preference loss (DPO, ORPO, SimPO) is built from,
// and a bridge that turns a host-side scalar function of a small tensor into a differentiable loss.

import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';
import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';

/**
 * logp (B) = sum over t of log softmax(logits[b, t])[targets[b, t]], skipping ignoreIndex targets.
 * logits (B, T, V), targets (B, T) i32. Uses the fused cross-entropy kernels: the per-row loss is
 * -log p, and the backward kernel's scale is set per sequence to -dlogp[b].
 */
export function sequenceLogProbs(logits: Tensor, targets: Tensor, ignoreIndex = -100): Tensor {
	const [N, V] = rowsCols(logits);
	const B = logits.shape[0];
	const T = N / B;
	if (targets.size !== N || targets.dtype !== 'i32') throw new Error(`engine: sequenceLogProbs needs ${N} i32 targets`);
	const grad = needsGrad(logits);
	const losses = empty([N]);
	const lse = empty([N]);
	runSplit('crossEntropyForward', N, N * V * 2, 1, (r0, r1) => [logits.ptr, targets.ptr, losses.ptr, lse.ptr, V, ignoreIndex, r0, r1]);
	const per = losses.f32();
	const sums = new Float64Array(B);
	for (let i = 0; i < N; i++) sums[Math.floor(i / T)] -= per[i];
	const out = empty([B], { requiresGrad: grad }).set(sums);
	if (grad) {
		record(() => {
			const dout = out.grad;
			const dl = gradPtr(logits);
			if (!dout || !dl) return;
			const d = dout.toArray();
			for (let b = 0; b < B; b++) {
				if (d[b] === 0) continue;
				runSplit('crossEntropyBackward', T, T * V * 2, 1, (r0, r1) => [logits.ptr, targets.ptr, lse.ptr, dl, V, ignoreIndex, -d[b], b * T + r0, b * T + r1]);
			}
		});
	}
	return out;
}

export interface HostScalar {
	value: number;
	/** d value / d x, same length as x */
	grad: ArrayLike<number>;
}

/**
 * A one-element loss computed on the host (float64) from the values of x (small: a few numbers per
 * sequence); its backward adds dy * grad into x's gradient.
 */
export function hostScalar(x: Tensor, fn: (values: Float64Array) => HostScalar): Tensor {
	const result = fn(Float64Array.from(x.f32()));
	if (result.grad.length !== x.size) throw new Error(`engine: hostScalar gradient of ${result.grad.length} for ${x.size} values`);
	const grad = needsGrad(x);
	const y = empty([1], { requiresGrad: grad }).set([result.value]);
	if (grad) {
		const g = Float64Array.from(result.grad);
		record(() => {
			const dy = y.grad;
			if (!dy || !x.requiresGrad) return;
			gradPtr(x);
			const dx = (x.grad as Tensor).f32();
			const s = dy.f32()[0];
			for (let i = 0; i < dx.length; i++) dx[i] += s * g[i];
		});
	}
	return y;
}

/** Concatenates one-dimensional tensors (gradients split back). Small sizes only (host copy). */
export function concat1d(parts: readonly Tensor[]): Tensor {
	const n = parts.reduce((s, p) => s + p.size, 0);
	const grad = needsGrad(...parts);
	const y = empty([n], { requiresGrad: grad });
	let o = 0;
	const out = y.f32();
	for (const p of parts) {
		out.set(p.f32(), o);
		o += p.size;
	}
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			let off = 0;
			for (const p of parts) {
				if (p.requiresGrad) {
					gradPtr(p);
					const dp = (p.grad as Tensor).f32();
					const src = dy.f32();
					for (let i = 0; i < p.size; i++) dp[i] += src[off + i];
				}
				off += p.size;
			}
		});
	}
	return y;
}
