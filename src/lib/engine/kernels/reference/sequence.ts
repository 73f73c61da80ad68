// Float64 references for RoPE, softmax and attention (causal, or bidirectional with a score bias).

/** cos/sin tables (T, hs/2): angle = t * base^(-2i/hs). */
export function ropeTables(T: number, hs: number, base: number): { cos: Float64Array; sin: Float64Array } {
	const half = hs / 2;
	const cos = new Float64Array(T * half);
	const sin = new Float64Array(T * half);
	for (let t = 0; t < T; t++) {
		for (let i = 0; i < half; i++) {
			const a = t * Math.pow(base, (-2 * i) / hs);
			cos[t * half + i] = Math.cos(a);
			sin[t * half + i] = Math.sin(a);
		}
	}
	return { cos, sin };
}

/** x (B, T, H, hs) contiguous; sign -1 applies the inverse rotation (the backward). */
export function ropeRef(x: ArrayLike<number>, B: number, T: number, H: number, hs: number, cos: ArrayLike<number>, sin: ArrayLike<number>, sign = 1): Float64Array {
	const y = new Float64Array(B * T * H * hs);
	const half = hs / 2;
	for (let b = 0; b < B; b++)
		for (let t = 0; t < T; t++)
			for (let h = 0; h < H; h++) {
				const o = ((b * T + t) * H + h) * hs;
				for (let i = 0; i < half; i++) {
					const c = cos[t * half + i];
					const s = sign * sin[t * half + i];
					y[o + i] = x[o + i] * c - x[o + i + half] * s;
					y[o + i + half] = x[o + i + half] * c + x[o + i] * s;
				}
			}
	return y;
}

export function softmaxRef(x: ArrayLike<number>, N: number, C: number): Float64Array {
	const y = new Float64Array(N * C);
	for (let r = 0; r < N; r++) {
		let m = -Infinity;
		for (let i = 0; i < C; i++) m = Math.max(m, x[r * C + i]);
		let s = 0;
		for (let i = 0; i < C; i++) s += y[r * C + i] = Math.exp(x[r * C + i] - m);
		for (let i = 0; i < C; i++) y[r * C + i] /= s;
	}
	return y;
}

export function softmaxBackwardRef(y: ArrayLike<number>, dy: ArrayLike<number>, N: number, C: number): Float64Array {
	const dx = new Float64Array(N * C);
	for (let r = 0; r < N; r++) {
		let dot = 0;
		for (let i = 0; i < C; i++) dot += y[r * C + i] * dy[r * C + i];
		for (let i = 0; i < C; i++) dx[r * C + i] = y[r * C + i] * (dy[r * C + i] - dot);
	}
	return dx;
}

export interface AttentionShape {
	B: number;
	T: number;
	NH: number;
	NKV: number;
	hs: number;
}

/** Which keys a query sees: by default its own and earlier ones, with no score bias. */
export interface AttentionMaskRef {
	/** false: every key (an encoder). */
	causal?: boolean;
	/** (NH, T, T) added to the scaled scores, shared by the batch; -Infinity masks a pair. */
	bias?: ArrayLike<number>;
}

/**
 * Softmax probabilities p[0..T) of query (b, h, t), 0 for keys it does not see. Returns false when it
 * sees none (every pair masked): its output and gradients are then 0.
 */
function rowProbs(q: ArrayLike<number>, k: ArrayLike<number>, s: AttentionShape, mask: AttentionMaskRef, b: number, h: number, t: number, p: Float64Array): boolean {
	const { T, NH, NKV, hs } = s;
	const g = Math.floor(h / (NH / NKV));
	const n = mask.causal === false ? T : t + 1;
	const qo = ((b * T + t) * NH + h) * hs;
	p.fill(-Infinity);
	let m = -Infinity;
	for (let u = 0; u < n; u++) {
		const bias = mask.bias ? mask.bias[(h * T + t) * T + u] : 0;
		let d = 0;
		for (let i = 0; i < hs; i++) d += q[qo + i] * k[((b * T + u) * NKV + g) * hs + i];
		p[u] = bias === -Infinity ? -Infinity : d / Math.sqrt(hs) + bias;
		m = Math.max(m, p[u]);
	}
	if (m === -Infinity) {
		p.fill(0);
		return false;
	}
	let z = 0;
	for (let u = 0; u < T; u++) z += p[u] = Math.exp(p[u] - m);
	for (let u = 0; u < T; u++) p[u] /= z;
	return true;
}

/** q (B,T,NH,hs), k/v (B,T,NKV,hs) contiguous; out (B,T,NH,hs). Scale 1/sqrt(hs); causal unless mask says otherwise. */
export function attentionRef(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, s: AttentionShape, mask: AttentionMaskRef = {}): Float64Array {
	const { B, T, NH, NKV, hs } = s;
	const out = new Float64Array(B * T * NH * hs);
	const rep = NH / NKV;
	const p = new Float64Array(T);
	for (let b = 0; b < B; b++)
		for (let h = 0; h < NH; h++) {
			const g = Math.floor(h / rep);
			for (let t = 0; t < T; t++) {
				if (!rowProbs(q, k, s, mask, b, h, t, p)) continue;
				const qo = ((b * T + t) * NH + h) * hs;
				for (let u = 0; u < T; u++) for (let i = 0; i < hs; i++) out[qo + i] += p[u] * v[((b * T + u) * NKV + g) * hs + i];
			}
		}
	return out;
}

/** Gradients of <attentionRef(q, k, v, s, mask), dout>; dBias (NH, T, T) sums the batch (zeros without a bias). */
export function attentionBackwardRef(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dout: ArrayLike<number>, s: AttentionShape, mask: AttentionMaskRef = {}) {
	const { B, T, NH, NKV, hs } = s;
	const dq = new Float64Array(q.length);
	const dk = new Float64Array(k.length);
	const dv = new Float64Array(v.length);
	const dBias = new Float64Array(NH * T * T);
	const scale = 1 / Math.sqrt(hs);
	const rep = NH / NKV;
	const p = new Float64Array(T);
	const dp = new Float64Array(T);
	for (let b = 0; b < B; b++)
		for (let h = 0; h < NH; h++) {
			const g = Math.floor(h / rep);
			for (let t = 0; t < T; t++) {
				if (!rowProbs(q, k, s, mask, b, h, t, p)) continue;
				const qo = ((b * T + t) * NH + h) * hs;
				let centre = 0;
				for (let u = 0; u < T; u++) {
					let d = 0;
					for (let i = 0; i < hs; i++) d += dout[qo + i] * v[((b * T + u) * NKV + g) * hs + i];
					dp[u] = d;
					centre += p[u] * d;
				}
				for (let u = 0; u < T; u++) {
					const ko = ((b * T + u) * NKV + g) * hs;
					const dScore = p[u] * (dp[u] - centre);
					dBias[(h * T + t) * T + u] += dScore;
					const ds = dScore * scale;
					for (let i = 0; i < hs; i++) {
						dq[qo + i] += ds * k[ko + i];
						dk[ko + i] += ds * q[qo + i];
						dv[ko + i] += p[u] * dout[qo + i];
					}
				}
			}
		}
	return { dq, dk, dv, dBias };
}
