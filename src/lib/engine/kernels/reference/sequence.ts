// Float64 references for RoPE, softmax and attention (causal or bidirectional).

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

/** Softmax probabilities p[0..T) of query (b, h, t), 0 for keys it does not see (later ones when causal). */
function rowProbs(q: ArrayLike<number>, k: ArrayLike<number>, s: AttentionShape, causal: boolean, b: number, h: number, t: number, p: Float64Array): void {
	const { T, NH, NKV, hs } = s;
	const g = Math.floor(h / (NH / NKV));
	const n = causal ? t + 1 : T;
	const qo = ((b * T + t) * NH + h) * hs;
	p.fill(-Infinity);
	let m = -Infinity;
	for (let u = 0; u < n; u++) {
		let d = 0;
		for (let i = 0; i < hs; i++) d += q[qo + i] * k[((b * T + u) * NKV + g) * hs + i];
		p[u] = d / Math.sqrt(hs);
		m = Math.max(m, p[u]);
	}
	let z = 0;
	for (let u = 0; u < T; u++) z += p[u] = Math.exp(p[u] - m);
	for (let u = 0; u < T; u++) p[u] /= z;
}

/** q (B,T,NH,hs), k/v (B,T,NKV,hs) contiguous; out (B,T,NH,hs). Scale 1/sqrt(hs). */
export function attentionRef(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, s: AttentionShape, causal = true): Float64Array {
	const { B, T, NH, NKV, hs } = s;
	const out = new Float64Array(B * T * NH * hs);
	const rep = NH / NKV;
	const p = new Float64Array(T);
	for (let b = 0; b < B; b++)
		for (let h = 0; h < NH; h++) {
			const g = Math.floor(h / rep);
			for (let t = 0; t < T; t++) {
				rowProbs(q, k, s, causal, b, h, t, p);
				const qo = ((b * T + t) * NH + h) * hs;
				for (let u = 0; u < T; u++) for (let i = 0; i < hs; i++) out[qo + i] += p[u] * v[((b * T + u) * NKV + g) * hs + i];
			}
		}
	return out;
}

/** Gradients of <attentionRef(q, k, v, s, causal), dout>. */
export function attentionBackwardRef(q: ArrayLike<number>, k: ArrayLike<number>, v: ArrayLike<number>, dout: ArrayLike<number>, s: AttentionShape, causal = true) {
	const { B, T, NH, NKV, hs } = s;
	const dq = new Float64Array(q.length);
	const dk = new Float64Array(k.length);
	const dv = new Float64Array(v.length);
	const scale = 1 / Math.sqrt(hs);
	const rep = NH / NKV;
	const p = new Float64Array(T);
	const dp = new Float64Array(T);
	for (let b = 0; b < B; b++)
		for (let h = 0; h < NH; h++) {
			const g = Math.floor(h / rep);
			for (let t = 0; t < T; t++) {
				rowProbs(q, k, s, causal, b, h, t, p);
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
					const ds = p[u] * (dp[u] - centre) * scale;
					for (let i = 0; i < hs; i++) {
						dq[qo + i] += ds * k[ko + i];
						dk[ko + i] += ds * q[qo + i];
						dv[ko + i] += p[u] * dout[qo + i];
					}
				}
			}
		}
	return { dq, dk, dv };
}
