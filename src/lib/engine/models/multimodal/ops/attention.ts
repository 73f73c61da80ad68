// Bidirectional multi-head self-attention for the encoder towers. The core's attention kernel is
// causal (a decoder's), but a patch or audio frame must see the whole clip, so the towers use this
// op. Plain TypeScript over host views of engine memory: tower sequences are short (tens of tokens),
// so the O(T^2) work stays small and the probabilities are kept for the backward instead of being
// recomputed. Each (batch, head) is copied into contiguous (T, hs) buffers first, so the inner
// loops run over consecutive floats.

import { gradPtr } from '../../../autograd/grad';
import { needsGrad, record } from '../../../autograd/tape';
import { empty } from '../../../tensor/create';
import type { Tensor } from '../../../tensor/tensor';

/** Copies head h of q, k and v of batch item b out of qkv (B, T, 3C) into (T, hs) buffers. */
function gather(x: Float32Array, b: number, h: number, T: number, C: number, hs: number, q: Float32Array, k: Float32Array, v: Float32Array): void {
	for (let t = 0; t < T; t++) {
		const o = (b * T + t) * 3 * C + h * hs;
		q.set(x.subarray(o, o + hs), t * hs);
		k.set(x.subarray(o + C, o + C + hs), t * hs);
		v.set(x.subarray(o + 2 * C, o + 2 * C + hs), t * hs);
	}
}

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
	const q = new Float32Array(T * hs);
	const k = new Float32Array(T * hs);
	const v = new Float32Array(T * hs);
	const acc = new Float32Array(hs);
	for (let b = 0; b < B; b++) {
		for (let h = 0; h < NH; h++) {
			gather(x, b, h, T, C, hs, q, k, v);
			const p = probs.subarray((b * NH + h) * T * T, (b * NH + h + 1) * T * T);
			for (let i = 0; i < T; i++) {
				let max = -Infinity;
				for (let j = 0; j < T; j++) {
					let s = 0;
					for (let d = 0; d < hs; d++) s += q[i * hs + d] * k[j * hs + d];
					s *= scale;
					p[i * T + j] = s;
					if (s > max) max = s;
				}
				let sum = 0;
				for (let j = 0; j < T; j++) {
					const e = Math.exp(p[i * T + j] - max);
					p[i * T + j] = e;
					sum += e;
				}
				const inv = 1 / sum;
				acc.fill(0);
				for (let j = 0; j < T; j++) {
					const pj = (p[i * T + j] *= inv);
					for (let d = 0; d < hs; d++) acc[d] += pj * v[j * hs + d];
				}
				y.set(acc, (b * T + i) * C + h * hs);
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
	const q = new Float32Array(T * hs);
	const k = new Float32Array(T * hs);
	const v = new Float32Array(T * hs);
	const dq = new Float32Array(T * hs);
	const dk = new Float32Array(T * hs);
	const dv = new Float32Array(T * hs);
	const g = new Float32Array(T * hs);
	const dp = new Float32Array(T);
	for (let b = 0; b < B; b++) {
		for (let h = 0; h < NH; h++) {
			gather(x, b, h, T, C, hs, q, k, v);
			for (let t = 0; t < T; t++) g.set(dy.subarray((b * T + t) * C + h * hs, (b * T + t) * C + (h + 1) * hs), t * hs);
			dq.fill(0);
			dk.fill(0);
			dv.fill(0);
			const p = probs.subarray((b * NH + h) * T * T, (b * NH + h + 1) * T * T);
			for (let i = 0; i < T; i++) {
				// dP_ij = g_i . v_j and dv_j += p_ij g_i
				let dot = 0;
				for (let j = 0; j < T; j++) {
					const pij = p[i * T + j];
					let s = 0;
					for (let d = 0; d < hs; d++) {
						s += g[i * hs + d] * v[j * hs + d];
						dv[j * hs + d] += pij * g[i * hs + d];
					}
					dp[j] = s;
					dot += pij * s;
				}
				// Softmax backward: dS_ij = p_ij (dP_ij - sum_j p_ij dP_ij), then through the scaled dot product.
				for (let j = 0; j < T; j++) {
					const ds = p[i * T + j] * (dp[j] - dot) * scale;
					for (let d = 0; d < hs; d++) {
						dq[i * hs + d] += ds * k[j * hs + d];
						dk[j * hs + d] += ds * q[i * hs + d];
					}
				}
			}
			for (let t = 0; t < T; t++) {
				const o = (b * T + t) * C3 + h * hs;
				for (let d = 0; d < hs; d++) {
					dx[o + d] += dq[t * hs + d];
					dx[o + C + d] += dk[t * hs + d];
					dx[o + 2 * C + d] += dv[t * hs + d];
				}
			}
		}
	}
}
