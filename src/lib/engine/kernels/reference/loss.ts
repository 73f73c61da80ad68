// Float64 references for cross-entropy with ignore-index and AdamW.

/** Mean over non-ignored rows of -log softmax(logits)[target]. */
export function crossEntropyRef(logits: ArrayLike<number>, targets: ArrayLike<number>, N: number, V: number, ignoreIndex: number): number {
	let total = 0;
	let count = 0;
	for (let r = 0; r < N; r++) {
		if (targets[r] === ignoreIndex) continue;
		let m = -Infinity;
		for (let i = 0; i < V; i++) m = Math.max(m, logits[r * V + i]);
		let s = 0;
		for (let i = 0; i < V; i++) s += Math.exp(logits[r * V + i] - m);
		total += m + Math.log(s) - logits[r * V + targets[r]];
		count++;
	}
	return count > 0 ? total / count : 0;
}

export function crossEntropyBackwardRef(logits: ArrayLike<number>, targets: ArrayLike<number>, N: number, V: number, ignoreIndex: number, dloss = 1): Float64Array {
	const d = new Float64Array(N * V);
	let count = 0;
	for (let r = 0; r < N; r++) if (targets[r] !== ignoreIndex) count++;
	for (let r = 0; r < N; r++) {
		if (targets[r] === ignoreIndex) continue;
		let m = -Infinity;
		for (let i = 0; i < V; i++) m = Math.max(m, logits[r * V + i]);
		let s = 0;
		for (let i = 0; i < V; i++) s += Math.exp(logits[r * V + i] - m);
		for (let i = 0; i < V; i++) d[r * V + i] = (Math.exp(logits[r * V + i] - m) / s) * (dloss / count);
		d[r * V + targets[r]] -= dloss / count;
	}
	return d;
}

export interface AdamWRefState {
	p: Float64Array;
	m: Float64Array;
	v: Float64Array;
}

/** One AdamW step at step number t (1-based), gradient pre-multiplied by gradScale. */
export function adamwRef(s: AdamWRefState, g: ArrayLike<number>, t: number, lr: number, beta1: number, beta2: number, eps: number, wd: number, gradScale = 1): void {
	const bc1 = 1 - beta1 ** t;
	const bc2 = 1 - beta2 ** t;
	for (let i = 0; i < s.p.length; i++) {
		const gi = g[i] * gradScale;
		s.m[i] = beta1 * s.m[i] + (1 - beta1) * gi;
		s.v[i] = beta2 * s.v[i] + (1 - beta2) * gi * gi;
		s.p[i] -= lr * (s.m[i] / bc1 / (Math.sqrt(s.v[i] / bc2) + eps) + wd * s.p[i]);
	}
}
