// Creating and freeing tensors. Step tensors come from the step arena, persistent ones from the heap.

import { engine } from './runtime';
import { sizeOf, Tensor, type DType, type Lifetime } from './tensor';

export interface TensorOptions {
	dtype?: DType;
	lifetime?: Lifetime;
	requiresGrad?: boolean;
	name?: string;
}

const BYTES: Record<DType, number> = { f32: 4, i32: 4, i8: 1, u8: 1 };

function allocate(bytes: number, lifetime: Lifetime): number {
	const e = engine();
	return lifetime === 'step' ? e.arena.alloc(bytes) : e.heap.alloc(bytes);
}

/** Uninitialised memory: for outputs a kernel overwrites completely. */
export function empty(shape: readonly number[], options: TensorOptions = {}): Tensor {
	const dtype = options.dtype ?? 'f32';
	const lifetime = options.lifetime ?? 'step';
	const ptr = allocate(sizeOf(shape) * BYTES[dtype], lifetime);
	return new Tensor([...shape], dtype, ptr, lifetime, options.requiresGrad ?? false, options.name ?? '');
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
	return empty(shape, options).fill(0);
}

export function fromArray(values: ArrayLike<number>, shape: readonly number[], options: TensorOptions = {}): Tensor {
	return empty(shape, options).set(values);
}

/** A trainable parameter: persistent, requires grad, gradient allocated alongside. */
export function parameter(shape: readonly number[], name: string, init?: ArrayLike<number>): Tensor {
	const t = zeros(shape, { lifetime: 'persistent', requiresGrad: true, name });
	if (init) t.set(init);
	t.grad = zeros(shape, { lifetime: 'persistent', name: `${name}.grad` });
	return t;
}

/** The gradient of t, created zeroed on first use with t's lifetime. */
export function ensureGrad(t: Tensor): Tensor {
	if (!t.grad) t.grad = zeros(t.shape, { lifetime: t.lifetime, name: `${t.name}.grad` });
	return t.grad;
}

/** Returns a persistent tensor's memory (and its gradient's) to the heap. */
export function free(t: Tensor): void {
	if (t.lifetime !== 'persistent') return;
	const heap = engine().heap;
	heap.release(t.ptr, t.bytes);
	if (t.grad) heap.release(t.grad.ptr, t.grad.bytes);
	t.grad = null;
}

/** Same memory, new shape (sizes must match). The view's gradient aliases the base gradient. */
export function view(t: Tensor, shape: readonly number[]): Tensor {
	if (sizeOf(shape) !== t.size) throw new Error(`engine: cannot view [${t.shape}] as [${shape}]`);
	const v = new Tensor([...shape], t.dtype, t.ptr, t.lifetime, t.requiresGrad, t.name);
	if (t.requiresGrad) {
		const g = ensureGrad(t);
		v.grad = new Tensor([...shape], g.dtype, g.ptr, g.lifetime, false, g.name);
	}
	return v;
}

/** Deterministic Gaussian init (Box-Muller over a 32-bit xorshift): reproducible across runs. */
export function randn(shape: readonly number[], std: number, seed: number, options: TensorOptions = {}): Tensor {
	const t = empty(shape, options);
	const n = t.size;
	const values = new Float32Array(n);
	const rng = xorshift(seed);
	for (let i = 0; i < n; i += 2) {
		const u1 = Math.max(rng(), 1e-12);
		const u2 = rng();
		const r = Math.sqrt(-2 * Math.log(u1)) * std;
		values[i] = r * Math.cos(2 * Math.PI * u2);
		if (i + 1 < n) values[i + 1] = r * Math.sin(2 * Math.PI * u2);
	}
	return t.set(values);
}

export function xorshift(seed: number): () => number {
	let s = (seed | 0) || 0x9e3779b9;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 4294967296;
	};
}

/**
 * t[i] along the first dimension, sharing memory (and gradient memory) with t. Used to hand each
 * layer its slice of a stacked (L, ...) parameter without copying.
 */
export function select(t: Tensor, i: number): Tensor {
	const shape = t.shape.slice(1);
	const bytes = (t.bytes / t.shape[0]) * i;
	const s = new Tensor(shape, t.dtype, t.ptr + bytes, t.lifetime, t.requiresGrad, `${t.name}[${i}]`);
	if (t.grad) s.grad = new Tensor(shape, t.grad.dtype, t.grad.ptr + bytes, t.grad.lifetime, false, `${t.grad.name}[${i}]`);
	return s;
}

export type Init = { kind: 'zeros' } | { kind: 'ones' } | { kind: 'normal'; std: number; seed: number };

/** A persistent trainable tensor initialised as asked (model weights). */
export function createParameter(shape: readonly number[], name: string, init: Init): Tensor {
	const p = parameter(shape, name);
	if (init.kind === 'ones') p.fill(1);
	if (init.kind === 'normal') p.set(randn(shape, init.std, init.seed).f32());
	return p;
}
