// Element-wise ops with gradients: add, mul, scale, GELU, SiLU, SwiGLU, dropout.

import { runSplit } from '../../kernels/parallel';
import { empty } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { gradPtr } from '../grad';
import { needsGrad, record } from '../tape';

function sameSize(a: Tensor, b: Tensor, what: string): void {
	if (a.size !== b.size) throw new Error(`engine: ${what} of [${a.shape}] and [${b.shape}]`);
}

/** a + b (same shape): residual connections. */
export function add(a: Tensor, b: Tensor): Tensor {
	sameSize(a, b, 'add');
	const grad = needsGrad(a, b);
	const y = empty(a.shape, { requiresGrad: grad });
	runSplit('add', a.size, a.size, 4, (i0, i1) => [a.ptr, b.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			for (const t of [a, b]) {
				const d = gradPtr(t);
				if (d) runSplit('axpy', t.size, t.size, 4, (i0, i1) => [1, dy.ptr, d, i0, i1]);
			}
		});
	}
	return y;
}

/** a * b element-wise. */
export function mul(a: Tensor, b: Tensor): Tensor {
	sameSize(a, b, 'mul');
	const grad = needsGrad(a, b);
	const y = empty(a.shape, { requiresGrad: grad });
	runSplit('mul', a.size, a.size, 4, (i0, i1) => [a.ptr, b.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			// da += dy * b: a product into step scratch, then accumulated.
			for (const [t, other] of [[a, b], [b, a]] as const) {
				const d = gradPtr(t);
				if (!d) continue;
				const tmp = empty(t.shape);
				runSplit('mul', t.size, t.size, 4, (i0, i1) => [dy.ptr, other.ptr, tmp.ptr, i0, i1]);
				runSplit('axpy', t.size, t.size, 4, (i0, i1) => [1, tmp.ptr, d, i0, i1]);
			}
		});
	}
	return y;
}

/** alpha * x */
export function scale(x: Tensor, alpha: number): Tensor {
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	runSplit('scale', x.size, x.size, 4, (i0, i1) => [alpha, x.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) runSplit('axpy', x.size, x.size, 4, (i0, i1) => [alpha, dy.ptr, dx, i0, i1]);
		});
	}
	return y;
}

type Unary = 'gelu' | 'silu';

function unary(x: Tensor, kind: Unary): Tensor {
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	runSplit(`${kind}Forward`, x.size, x.size * 8, 4, (i0, i1) => [x.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) runSplit(`${kind}Backward`, x.size, x.size * 8, 4, (i0, i1) => [x.ptr, dy.ptr, dx, i0, i1]);
		});
	}
	return y;
}

/** GELU, tanh approximation (GPT-2). */
export function gelu(x: Tensor): Tensor {
	return unary(x, 'gelu');
}

/** SiLU (swish): x * sigmoid(x). */
export function silu(x: Tensor): Tensor {
	return unary(x, 'silu');
}

/** SwiGLU: silu(gate) * up, gate and up the same shape (the Llama MLP). */
export function swiglu(gate: Tensor, up: Tensor): Tensor {
	sameSize(gate, up, 'swiglu');
	const grad = needsGrad(gate, up);
	const y = empty(gate.shape, { requiresGrad: grad });
	runSplit('swigluForward', gate.size, gate.size * 8, 4, (i0, i1) => [gate.ptr, up.ptr, y.ptr, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			if (!dy) return;
			// The kernel writes both gradients; a side that needs none accumulates into scratch.
			const dg = gradPtr(gate) || empty(gate.shape).ptr;
			const du = gradPtr(up) || empty(up.shape).ptr;
			runSplit('swigluBackward', gate.size, gate.size * 8, 4, (i0, i1) => [gate.ptr, up.ptr, dy.ptr, dg, du, i0, i1]);
		});
	}
	return y;
}

/**
 * Inverted dropout with drop probability p. The mask is a hash of (seed, index), never stored:
 * backward recomputes it. Pass a fresh seed per step and per call site. Identity when p == 0.
 */
export function dropout(x: Tensor, p: number, seed: number): Tensor {
	if (p <= 0) return x;
	const grad = needsGrad(x);
	const y = empty(x.shape, { requiresGrad: grad });
	const s = seed >>> 0;
	runSplit('dropout', x.size, x.size * 4, 4, (i0, i1) => [x.ptr, y.ptr, p, s, 0, i0, i1]);
	if (grad) {
		record(() => {
			const dy = y.grad;
			const dx = gradPtr(x);
			if (dy && dx) runSplit('dropout', x.size, x.size * 4, 4, (i0, i1) => [dy.ptr, dx, p, s, 1, i0, i1]);
		});
	}
	return y;
}
