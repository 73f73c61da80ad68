// Float64 references for the row-wise ops (DoRA pieces): row L2 norm, per-row scaling, division.

export function rowNormRef(x: ArrayLike<number>, N: number, C: number): Float64Array {
	const y = new Float64Array(N);
	for (let r = 0; r < N; r++) {
		let s = 0;
		for (let i = 0; i < C; i++) s += x[r * C + i] ** 2;
		y[r] = Math.sqrt(s);
	}
	return y;
}

export function rowNormBackwardRef(x: ArrayLike<number>, dy: ArrayLike<number>, N: number, C: number): Float64Array {
	const y = rowNormRef(x, N, C);
	return Float64Array.from({ length: N * C }, (_, i) => (y[Math.floor(i / C)] > 0 ? (dy[Math.floor(i / C)] * x[i]) / y[Math.floor(i / C)] : 0));
}

export function scaleRowsRef(x: ArrayLike<number>, s: ArrayLike<number>, C: number): Float64Array {
	return Float64Array.from({ length: x.length }, (_, i) => x[i] * s[Math.floor(i / C)]);
}

export function scaleRowsBackwardRef(x: ArrayLike<number>, s: ArrayLike<number>, dy: ArrayLike<number>, C: number) {
	const dx = Float64Array.from({ length: x.length }, (_, i) => dy[i] * s[Math.floor(i / C)]);
	const ds = new Float64Array(s.length);
	for (let i = 0; i < x.length; i++) ds[Math.floor(i / C)] += dy[i] * x[i];
	return { dx, ds };
}

export function divRef(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
	return Float64Array.from({ length: a.length }, (_, i) => a[i] / b[i]);
}

export function divBackwardRef(a: ArrayLike<number>, b: ArrayLike<number>, dy: ArrayLike<number>) {
	return {
		da: Float64Array.from({ length: a.length }, (_, i) => dy[i] / b[i]),
		db: Float64Array.from({ length: a.length }, (_, i) => (-dy[i] * a[i]) / (b[i] * b[i]))
	};
}
