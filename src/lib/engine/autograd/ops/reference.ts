// Float64 references of the composite ops in this folder (segments, log-probs, LoRA, column
// scaling, splicing), written the slow obvious way.

import { attentionRef, ropeRef } from '../../kernels/reference/sequence';
import type { Segment } from './segments';

/** Copies rows [start, start + length) of row b of a (B, T, W) array. */
function slice(x: ArrayLike<number>, T: number, W: number, s: Segment): Float64Array {
	const o = (s.row * T + s.start) * W;
	return Float64Array.from({ length: s.length * W }, (_, i) => x[o + i]);
}

/** q (B,T,NH,hs), k/v (B,T,NKV,hs): each segment attended on its own. */
export function segmentAttentionRef(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, B: number, T: number, NH: number, NKV: number, hs: number, segments: readonly Segment[]): Float64Array {
	const out = new Float64Array(B * T * NH * hs);
	for (const s of segments) {
		const o = attentionRef(slice(q, T, NH * hs, s), slice(k, T, NKV * hs, s), slice(v, T, NKV * hs, s), { B: 1, T: s.length, NH, NKV, hs });
		out.set(o, (s.row * T + s.start) * NH * hs);
	}
	return out;
}

/** x (B,T,H,hs) rotated with positions restarting per segment. */
export function segmentRopeRef(x: ArrayLike<number>, T: number, H: number, hs: number, cos: ArrayLike<number>, sin: ArrayLike<number>, segments: readonly Segment[]): Float64Array {
	const out = new Float64Array(x.length);
	for (const s of segments) out.set(ropeRef(slice(x, T, H * hs, s), 1, s.length, H, hs, cos, sin), (s.row * T + s.start) * H * hs);
	return out;
}

/** Sum over t of log softmax(logits[b,t])[target], per sequence b. */
export function sequenceLogProbsRef(logits: ArrayLike<number>, targets: ArrayLike<number>, B: number, T: number, V: number, ignoreIndex = -100): Float64Array {
	const out = new Float64Array(B);
	for (let r = 0; r < B * T; r++) {
		if (targets[r] === ignoreIndex) continue;
		let m = -Infinity;
		for (let i = 0; i < V; i++) m = Math.max(m, logits[r * V + i]);
		let z = 0;
		for (let i = 0; i < V; i++) z += Math.exp(logits[r * V + i] - m);
		out[Math.floor(r / T)] += logits[r * V + targets[r]] - m - Math.log(z);
	}
	return out;
}

export function scaleColumnsRef(h: ArrayLike<number>, m: ArrayLike<number>, c: ArrayLike<number>, N: number, OUT: number): Float64Array {
	return Float64Array.from({ length: N * OUT }, (_, i) => h[i] * m[i % OUT] * c[i % OUT]);
}

/** x rows at positions replaced by feature rows. */
export function spliceRowsRef(x: ArrayLike<number>, positions: ArrayLike<number>, features: ArrayLike<number>, C: number): Float64Array {
	const y = Float64Array.from(x);
	for (let i = 0; i < positions.length; i++) for (let c = 0; c < C; c++) y[positions[i] * C + c] = features[i * C + c];
	return y;
}

/** x W^T + s (xd A^T) B^T with W (out, in), A (r, in), B (out, r); x, xd (N, in). */
export function loraLinearRef(x: ArrayLike<number>, xd: ArrayLike<number>, w: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, s: number, N: number, IN: number, OUT: number, r: number): Float64Array {
	const y = new Float64Array(N * OUT);
	for (let n = 0; n < N; n++) {
		const u = new Float64Array(r);
		for (let k = 0; k < r; k++) for (let i = 0; i < IN; i++) u[k] += xd[n * IN + i] * a[k * IN + i];
		for (let o = 0; o < OUT; o++) {
			let v = 0;
			for (let i = 0; i < IN; i++) v += x[n * IN + i] * w[o * IN + i];
			for (let k = 0; k < r; k++) v += s * u[k] * b[o * r + k];
			y[n * OUT + o] = v;
		}
	}
	return y;
}
