// Float64 references for LayerNorm and RMSNorm over rows of (N, C).

export function layerNormRef(x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, N: number, C: number, eps: number): Float64Array {
	const y = new Float64Array(N * C);
	for (let r = 0; r < N; r++) {
		let m = 0;
		for (let i = 0; i < C; i++) m += x[r * C + i];
		m /= C;
		let v = 0;
		for (let i = 0; i < C; i++) v += (x[r * C + i] - m) ** 2;
		const rs = 1 / Math.sqrt(v / C + eps);
		for (let i = 0; i < C; i++) y[r * C + i] = (x[r * C + i] - m) * rs * w[i] + b[i];
	}
	return y;
}

export function layerNormBackwardRef(x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>, N: number, C: number, eps: number) {
	const dx = new Float64Array(N * C);
	const dw = new Float64Array(C);
	const db = new Float64Array(C);
	for (let r = 0; r < N; r++) {
		let m = 0;
		for (let i = 0; i < C; i++) m += x[r * C + i];
		m /= C;
		let v = 0;
		for (let i = 0; i < C; i++) v += (x[r * C + i] - m) ** 2;
		const rs = 1 / Math.sqrt(v / C + eps);
		let sg = 0;
		let sgx = 0;
		for (let i = 0; i < C; i++) {
			const xh = (x[r * C + i] - m) * rs;
			const g = dy[r * C + i] * w[i];
			sg += g;
			sgx += g * xh;
		}
		for (let i = 0; i < C; i++) {
			const xh = (x[r * C + i] - m) * rs;
			const d = dy[r * C + i];
			db[i] += d;
			dw[i] += d * xh;
			dx[r * C + i] = rs * (d * w[i] - sg / C - (xh * sgx) / C);
		}
	}
	return { dx, dw, db };
}

export function rmsNormRef(x: ArrayLike<number>, w: ArrayLike<number>, N: number, C: number, eps: number): Float64Array {
	const y = new Float64Array(N * C);
	for (let r = 0; r < N; r++) {
		let s = 0;
		for (let i = 0; i < C; i++) s += x[r * C + i] ** 2;
		const rs = 1 / Math.sqrt(s / C + eps);
		for (let i = 0; i < C; i++) y[r * C + i] = x[r * C + i] * rs * w[i];
	}
	return y;
}

export function rmsNormBackwardRef(x: ArrayLike<number>, w: ArrayLike<number>, dy: ArrayLike<number>, N: number, C: number, eps: number) {
	const dx = new Float64Array(N * C);
	const dw = new Float64Array(C);
	for (let r = 0; r < N; r++) {
		let s = 0;
		for (let i = 0; i < C; i++) s += x[r * C + i] ** 2;
		const rs = 1 / Math.sqrt(s / C + eps);
		let sgx = 0;
		for (let i = 0; i < C; i++) sgx += dy[r * C + i] * w[i] * x[r * C + i] * rs;
		for (let i = 0; i < C; i++) {
			const xh = x[r * C + i] * rs;
			dw[i] += dy[r * C + i] * xh;
			dx[r * C + i] = rs * (dy[r * C + i] * w[i] - (xh * sgx) / C);
		}
	}
	return { dx, dw };
}
