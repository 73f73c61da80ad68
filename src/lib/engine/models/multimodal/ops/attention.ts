// Bidirectional multi-head self-attention for the encoder towers. The core's attention kernel is
// causal (a decoder's), but a patch or audio frame must see the whole clip, so the towers use this
// op. Plain TypeScript over host views of engine memory: tower sequences are short (tens of tokens),
// so the O(T^2) work stays small and the probabilities are kept for the backward instead of being
// recomputed.

import { gradPtr } from '../../../autograd/grad';
import { needsGrad, record } from '../../../autograd/tape';
import { empty } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';

/**
 * qkv (B, T, 3C) laid out [q | k | v], heads of size C / NH inside each third.
 * Returns (B, T, C), heads concatenated, softmax(q k^T / sqrt(hs)) v per head with no mask.
 */
export function bidirectionalAttention(qkv: Tensor, NH: number): Tensor {
	const [B, T, C3] = qkv.shape;
	const C = C3 / 3;
	const hs = C / NH;
	if (!Number.isInteger(hs)) throw new Error(`engine: ${NH} heads do not divide width ${C}`);
	const grad = needsGrad(qkv);
	const out = empty([B, T, C], { requiresGrad: grad });
	const scale = 1 / Math.sqrt(hs);
	// probs (B, NH, T, T), host memory: the backward needs them and they are small.
	const probs = new Float32Array(B * NH * T * T);
	const x = qkv.f32();
	const y = out.f32();
	const row = new Float64Array(T);
	for (let b = 0; b < B; b++) {
		for (let h = 0; h < NH; h++) {
			const pBase = (b * NH + h) * T * T;
			for (let i = 0; i < T; i++) {
				const qo = (b * T + i) * C3 + h * hs;
				let max = -Infinity;
				for (let j = 0; j < T; j++) {
					const ko = (b * T + j) * C3 + C + h * hs;
					let s = 0;
					for (let d = 0; d < hs; d++) s += x[qo + d] * x[ko + d];
					row[j] = s * scale;
					if (row[j] > max) max = row[j];
				}
				let sum = 0;
				for (let j = 0; j < T; j++) sum += row[j] = Math.exp(row[j] - max);
				const yo = (b * T + i) * C + h * hs;
				for (let d = 0; d < hs; d++) y[yo + d] = 0;
				for (let j = 0; j < T; j++) {
					const p = row[j] / sum;
					probs[pBase + i * T + j] = p;
					const vo = (b * T + j) * C3 + 2 * C + h * hs;
					for (let d = 0; d < hs; d++) y[yo + d] += p * x[vo + d];
				}
			}
		}
	}
	if (grad) record(() => attentionBackward(qkv, out, probs, NH));
	return out;
}

function attentionBackward(qkv: Tensor, out: Tensor, probs: Float32Array, NH: number): void {
	const dout = out.grad;
	if (!dout) return;
	const [B, T, C3] = qkv.shape;
	const C = C3 / 3;
	const hs = C / NH;
	const scale = 1 / Math.sqrt(hs);
	gradPtr(qkv);
	// Views taken after the gradient exists: allocating may grow (and so detach) the memory buffer.
	const x = qkv.f32();
	const dx = (qkv.grad as Tensor).f32();
	const dy = dout.f32();
	const dp = new Float64Array(T);
	for (let b = 0; b < B; b++) {
		for (let h = 0; h < NH; h++) {
			const pBase = (b * NH + h) * T * T;
			for (let i = 0; i < T; i++) {
				const yo = (b * T + i) * C + h * hs;
				const qo = (b * T + i) * C3 + h * hs;
				// dP_ij = dy_i . v_j and dv_j += p_ij dy_i
				let dot = 0;
				for (let j = 0; j < T; j++) {
					const vo = (b * T + j) * C3 + 2 * C + h * hs;
					const p = probs[pBase + i * T + j];
					let s = 0;
					for (let d = 0; d < hs; d++) {
						s += dy[yo + d] * x[vo + d];
						dx[vo + d] += p * dy[yo + d];
					}
					dp[j] = s;
					dot += p * s;
				}
				// Softmax backward: dS_ij = p_ij (dP_ij - sum_j p_ij dP_ij), then through the scaled dot product.
				for (let j = 0; j < T; j++) {
					const ds = probs[pBase + i * T + j] * (dp[j] - dot) * scale;
					if (ds === 0) continue;
					const ko = (b * T + j) * C3 + C + h * hs;
					for (let d = 0; d < hs; d++) {
						dx[qo + d] += ds * x[ko + d];
						dx[ko + d] += ds * x[qo + d];
					}
				}
			}
		}
	}
}
