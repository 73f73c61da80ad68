// Segment-aware sequence ops for packed rows (ms-swift `--packing`): several samples share one row
// of the batch, and each must see only itself. Both ops reuse the core WASM kernels, called once per
// segment with pointers moved to the segment's first token, so positions restart at 0 in every
// segment and attention never crosses a boundary. No new kernel is needed.

import { gradPtr } from '../grad';
import { needsGrad, record } from '../tape';
import type { RopeTable } from './index';
import { assertAttentionFits } from './sequence';
import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import { engine } from '../../tensor/runtime';
import type { Tensor } from '../../tensor/tensor';

/** One sample inside a packed batch: row b, tokens [start, start + length). */
export interface Segment {
	row: number;
	start: number;
	length: number;
}

/** Checks that the segments tile every row of a (B, T) batch exactly, so every output is written. */
export function assertTiling(segments: readonly Segment[], B: number, T: number): void {
	const covered = new Int32Array(B);
	const sorted = [...segments].sort((a, b) => a.row - b.row || a.start - b.start);
	for (const s of sorted) {
		if (s.row < 0 || s.row >= B || s.length < 1 || s.start !== covered[s.row]) {
			throw new Error(`engine: segment ${JSON.stringify(s)} does not tile a [${B}, ${T}] batch`);
		}
		covered[s.row] += s.length;
	}
	if (covered.some((c) => c !== T)) throw new Error(`engine: segments leave part of a [${B}, ${T}] batch uncovered`);
}

/** RoPE of x (B, T, H, hs) with positions restarting at 0 at every segment's start. */
export function segmentRope(x: Tensor, table: RopeTable, segments: readonly Segment[]): Tensor {
	const [B, T, H, hs] = x.shape;
	assertTiling(segments, B, T);
	const stride = H * hs;
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	const rotate = (src: number, dst: number, sign: number, accumulate: number) => {
		for (const s of segments) {
			if (s.length > table.T) throw new Error(`engine: rope table of ${table.T} for a segment of ${s.length}`);
			const off = (s.row * T + s.start) * stride * 4;
			runSplit('rope', s.length, s.length * stride, 1, (r0, r1) => [src + off, dst + off, table.cos.ptr, table.sin.ptr, s.length, H, hs, stride, sign, accumulate, r0, r1]);
		}
	};
	rotate(x.ptr, y.ptr, 1, 0);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) rotate(dy.ptr, dx, -1, 1);
		});
	}
	return y;
}

/**
 * Causal attention restricted to each segment. q (B, T, NH, hs); k, v (B, T, NKV, hs).
 * Returns (B, T, NH * hs). Equal, segment by segment, to causalAttention on that sample alone.
 */
export function segmentAttention(q: Tensor, k: Tensor, v: Tensor, segments: readonly Segment[]): Tensor {
	const [B, T, NH, hs] = q.shape;
	const NKV = k.shape[2];
	assertTiling(segments, B, T);
	for (const s of segments) assertAttentionFits(s.length, hs);
	const grad = needsGrad(q, k, v);
	const out = empty([B, T, NH * hs], { requiresGrad: grad });
	const e = engine();
	const scale = 1 / Math.sqrt(hs);
	const qStride = NH * hs;
	const kvStride = NKV * hs;
	// Row log-sum-exp per segment, (NH, length), kept for the backward.
	const lses = segments.map((s) => empty([NH * s.length]));
	const qAt = (base: number, s: Segment) => base + (s.row * T + s.start) * qStride * 4;
	const kvAt = (base: number, s: Segment) => base + (s.row * T + s.start) * kvStride * 4;
	segments.forEach((s, i) => {
		const work = NH * s.length * s.length * hs;
		// 1: causal.
		runSplit('attentionForward', NKV, work, 1, (w0, w1, tid) => [
			qAt(q.ptr, s), kvAt(k.ptr, s), kvAt(v.ptr, s), qAt(out.ptr, s), lses[i].ptr, s.length, NH, NKV, hs, qStride, kvStride, qStride, scale, 1, e.scratch(tid), w0, w1
		]);
	});
	if (grad) {
		record(() => {
			const dout = out.grad;
			if (!dout) return;
			const g = (t: Tensor) => (t.requiresGrad ? gradPtr(t) : empty(t.shape).fill(0).ptr);
			const dq = g(q);
			const dk = g(k);
			const dv = g(v);
			segments.forEach((s, i) => {
				const work = NH * s.length * s.length * hs;
				runSplit('attentionBackward', NKV, work, 1, (w0, w1, tid) => [
					qAt(q.ptr, s), kvAt(k.ptr, s), kvAt(v.ptr, s), qAt(out.ptr, s), lses[i].ptr, qAt(dout.ptr, s),
					qAt(dq, s), kvAt(dk, s), kvAt(dv, s), s.length, NH, NKV, hs, qStride, kvStride, qStride, scale, 1, e.scratch(tid), w0, w1
				]);
			});
		});
	}
	return out;
}
