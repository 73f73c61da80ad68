// Float64 references: matmul in the three training layouts, bias add, embedding. Row-major arrays.

/** C(M,N) (+)= op(A) op(B); transA: A is (K,M); transB: B is (N,K). */
export function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, M: number, N: number, K: number, transA: boolean, transB: boolean, c?: Float64Array): Float64Array {
	const out = c ?? new Float64Array(M * N);
	for (let i = 0; i < M; i++) {
		for (let j = 0; j < N; j++) {
			let s = 0;
			for (let k = 0; k < K; k++) s += (transA ? a[k * M + i] : a[i * K + k]) * (transB ? b[j * K + k] : b[k * N + j]);
			out[i * N + j] += s;
		}
	}
	return out;
}

/** y = x W^T + b for x (N, IN), W (OUT, IN); returns y (N, OUT). */
export function linearRef(x: ArrayLike<number>, w: ArrayLike<number>, bias: ArrayLike<number> | null, N: number, IN: number, OUT: number): Float64Array {
	const y = matmulRef(x, w, N, OUT, IN, false, true);
	if (bias) for (let i = 0; i < N; i++) for (let j = 0; j < OUT; j++) y[i * OUT + j] += bias[j];
	return y;
}

/** Gradients of linearRef for upstream dy (N, OUT). */
export function linearBackwardRef(x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>, N: number, IN: number, OUT: number) {
	const dx = matmulRef(dy, w, N, IN, OUT, false, false);
	const dw = matmulRef(dy, x, OUT, IN, N, true, false);
	const db = new Float64Array(OUT);
	for (let i = 0; i < N; i++) for (let j = 0; j < OUT; j++) db[j] += dy[i * OUT + j];
	return { dx, dw, db };
}

/** out(N, C) = table[ids] */
export function embeddingRef(table: ArrayLike<number>, ids: ArrayLike<number>, C: number): Float64Array {
	const out = new Float64Array(ids.length * C);
	for (let r = 0; r < ids.length; r++) for (let j = 0; j < C; j++) out[r * C + j] = table[ids[r] * C + j];
	return out;
}

/** dtable(V, C) from dout (N, C). */
export function embeddingBackwardRef(dout: ArrayLike<number>, ids: ArrayLike<number>, V: number, C: number): Float64Array {
	const d = new Float64Array(V * C);
	for (let r = 0; r < ids.length; r++) for (let j = 0; j < C; j++) d[ids[r] * C + j] += dout[r * C + j];
	return d;
}
