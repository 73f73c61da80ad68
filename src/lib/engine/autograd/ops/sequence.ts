// Sequence ops with gradients: RoPE, softmax, attention (causal for decoders, bidirectional for the
// encoder towers).

import { runChunks, runSplit } from '../../kernels/parallel';
import { ropeTables } from '../../kernels/reference/sequence';
import { empty, fromArray } from '../../tensor/create';
import { engine } from '../../tensor/runtime';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr, rowsCols } from '../grad';
import { needsGrad, record } from '../tape';

/** Precomputed RoPE angles for positions [0, T) and head size hs; persistent, build once per model. */
export interface RopeTable {
	T: number;
	hs: number;
	cos: Tensor;
	sin: Tensor;
}

export function ropeTable(T: number, hs: number, base = 10000): RopeTable {
	const { cos, sin } = ropeTables(T, hs, base);
	return {
		T,
		hs,
		cos: fromArray(cos, [T, hs / 2], { lifetime: 'persistent', name: 'rope.cos' }),
		sin: fromArray(sin, [T, hs / 2], { lifetime: 'persistent', name: 'rope.sin' })
	};
}

/** Rotary embedding of x (B, T, H, hs), positions 0..T-1 (half-split pairs). */
export function rope(x: Tensor, table: RopeTable): Tensor {
	const [B, T, H, hs] = x.shape;
	if (hs !== table.hs || T > table.T) throw new Error(`engine: rope table (${table.T}, ${table.hs}) for [${x.shape}]`);
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	const rows = B * T;
	const stride = H * hs;
	runSplit('rope', rows, x.size, 1, (r0, r1) => [x.ptr, y.ptr, table.cos.ptr, table.sin.ptr, T, H, hs, stride, 1, 0, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			// The backward of a rotation is the inverse rotation of the gradient.
			if (dy && dx) runSplit('rope', rows, x.size, 1, (r0, r1) => [dy.ptr, dx, table.cos.ptr, table.sin.ptr, T, H, hs, stride, -1, 1, r0, r1]);
		});
	}
	return y;
}

/** Softmax over the last dimension. */
export function softmax(x: Tensor): Tensor {
	const [N, C] = rowsCols(x);
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	runSplit('softmaxForward', N, N * C * 4, 1, (r0, r1) => [x.ptr, y.ptr, C, r0, r1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) runSplit('softmaxBackward', N, N * C, 1, (r0, r1) => [y.ptr, dy.ptr, dx, C, r0, r1]);
		});
	}
	return y;
}

/** Where one of q, k, v sits: a tensor, a float offset inside each row, and the row stride. */
interface Operand {
	t: Tensor;
	offset: number;
	stride: number;
}

/** Throws unless the attention kernels' per-thread scratch holds a block of T positions of head size hs. */
export function assertAttentionFits(T: number, hs: number): void {
	if (engine().kernels.attentionBlock(T, hs) === 0) throw new Error(`engine: attention over ${T} positions (head size ${hs}) is too long for the kernel scratch`);
}

/**
 * Scaled-dot-product attention of q (B, T, NH, hs) over k, v (B, T, NKV, hs). Returns (B, T, NH * hs).
 * causal: each query sees keys up to its own position (a decoder), else all of them (an encoder).
 */
export function attend(q: Operand, k: Operand, v: Operand, B: number, T: number, NH: number, NKV: number, hs: number, causal: boolean): Tensor {
	if (NH % NKV !== 0) throw new Error(`engine: ${NH} query heads over ${NKV} kv heads`);
	if (k.stride !== v.stride) throw new Error('engine: k and v need the same row stride');
	assertAttentionFits(T, hs);
	const mask = causal ? 1 : 0;
	const grad = needsGrad(q.t, k.t, v.t);
	const out = empty([B, T, NH * hs], { requiresGrad: grad });
	const lse = empty([B, NH, T]);
	const scale = 1 / Math.sqrt(hs);
	const at = (o: Operand, base: number) => base + o.offset * 4;
	const work = B * NH * T * T * hs;
	// Chunks of (batch, kv-head) groups; argument 14 is the per-thread scratch for a block of scores.
	runChunks('attentionForward', B * NKV, work, 4, 14, (w0, w1) => [
		at(q, q.t.ptr), at(k, k.t.ptr), at(v, v.t.ptr), out.ptr, lse.ptr, T, NH, NKV, hs, q.stride, k.stride, NH * hs, scale, mask, 0, w0, w1
	]);
	if (grad) {
		record(() => {
			const dout = out.grad;
			if (!dout) return;
			// Operands that share a tensor (fused qkv) share its gradient buffer at the same offsets.
			const g = (o: Operand) => (o.t.requiresGrad ? at(o, gradPtr(o.t)) : at(o, empty(o.t.shape).fill(0).ptr));
			const dq = g(q);
			const dk = g(k);
			const dv = g(v);
			// Argument 18 is the per-thread scratch for a block of probabilities.
			runChunks('attentionBackward', B * NKV, work, 4, 18, (w0, w1) => [
				at(q, q.t.ptr), at(k, k.t.ptr), at(v, v.t.ptr), out.ptr, lse.ptr, dout.ptr, dq, dk, dv, T, NH, NKV, hs, q.stride, k.stride, NH * hs, scale, mask, 0, w0, w1
			]);
		});
	}
	return out;
}

/**
 * Causal self-attention. q (B, T, NH, hs); k, v (B, T, NKV, hs) with NKV dividing NH (grouped-query
 * when NKV < NH). Returns (B, T, NH * hs), heads concatenated.
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor): Tensor {
	const [B, T, NH, hs] = q.shape;
	const NKV = k.shape[2];
	return attend({ t: q, offset: 0, stride: NH * hs }, { t: k, offset: 0, stride: NKV * hs }, { t: v, offset: 0, stride: NKV * hs }, B, T, NH, NKV, hs, true);
}

/** Causal self-attention over a fused projection qkv (B, T, 3C) laid out [q | k | v] (GPT-2). */
export function causalAttentionFused(qkv: Tensor, NH: number): Tensor {
	const [B, T, C3] = qkv.shape;
	const C = C3 / 3;
	const hs = C / NH;
	return attend({ t: qkv, offset: 0, stride: C3 }, { t: qkv, offset: C, stride: C3 }, { t: qkv, offset: 2 * C, stride: C3 }, B, T, NH, NH, hs, true);
}
