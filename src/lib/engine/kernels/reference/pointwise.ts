// Float64 references for the element-wise activations and dropout, forward next to backward.

const GELU_S = Math.sqrt(2 / Math.PI);

export function geluRef(x: ArrayLike<number>): Float64Array {
	return Float64Array.from(x, (v) => 0.5 * v * (1 + Math.tanh(GELU_S * (v + 0.044715 * v * v * v))));
}

export function geluBackwardRef(x: ArrayLike<number>, dy: ArrayLike<number>): Float64Array {
	return Float64Array.from(x, (v, i) => {
		const t = Math.tanh(GELU_S * (v + 0.044715 * v * v * v));
		return dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_S * (1 + 3 * 0.044715 * v * v));
	});
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

export function siluRef(x: ArrayLike<number>): Float64Array {
	return Float64Array.from(x, (v) => v * sigmoid(v));
}

export function siluBackwardRef(x: ArrayLike<number>, dy: ArrayLike<number>): Float64Array {
	return Float64Array.from(x, (v, i) => {
		const s = sigmoid(v);
		return dy[i] * s * (1 + v * (1 - s));
	});
}

export function swigluRef(gate: ArrayLike<number>, up: ArrayLike<number>): Float64Array {
	return Float64Array.from(gate, (g, i) => g * sigmoid(g) * up[i]);
}

export function swigluBackwardRef(gate: ArrayLike<number>, up: ArrayLike<number>, dy: ArrayLike<number>) {
	const dgate = Float64Array.from(gate, (g, i) => {
		const s = sigmoid(g);
		return dy[i] * up[i] * s * (1 + g * (1 - s));
	});
	const dup = Float64Array.from(gate, (g, i) => dy[i] * g * sigmoid(g));
	return { dgate, dup };
}

/** The kernel's counter hash, so reference and kernel drop the same elements. */
export function dropoutKeep(seed: number, i: number, p: number): boolean {
	let h = (seed ^ Math.imul(i, 0x9e3779b9)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	h = (h ^ (h >>> 16)) >>> 0;
	return (h >>> 8) / 16777216 >= p;
}

/** Dropout is linear in x for a fixed mask, so the same function maps dy to dx. */
export function dropoutRef(x: ArrayLike<number>, p: number, seed: number): Float64Array {
	return Float64Array.from(x, (v, i) => (dropoutKeep(seed, i, p) ? v / (1 - p) : 0));
}
