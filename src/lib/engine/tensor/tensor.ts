// A tensor is a typed, shaped window onto the shared memory. Step tensors (activations) live in the
// step arena and die at the next beginStep(); persistent tensors (parameters, optimizer state) live
// in the heap until freed. Gradients live next to their tensor, with the same lifetime.

import { engine } from './runtime';

export type DType = 'f32' | 'i32' | 'i8' | 'u8';
export type Lifetime = 'step' | 'persistent';

const BYTES: Record<DType, number> = { f32: 4, i32: 4, i8: 1, u8: 1 };

export function sizeOf(shape: readonly number[]): number {
	return shape.reduce((a, b) => a * b, 1);
}

export class Tensor {
	readonly shape: readonly number[];
	readonly size: number;
	readonly dtype: DType;
	/** Byte offset in the shared memory. */
	readonly ptr: number;
	readonly lifetime: Lifetime;
	requiresGrad: boolean;
	grad: Tensor | null = null;
	name: string;

	constructor(shape: readonly number[], dtype: DType, ptr: number, lifetime: Lifetime, requiresGrad = false, name = '') {
		this.shape = shape;
		this.size = sizeOf(shape);
		this.dtype = dtype;
		this.ptr = ptr;
		this.lifetime = lifetime;
		this.requiresGrad = requiresGrad;
		this.name = name;
	}

	get bytes(): number {
		return this.size * BYTES[this.dtype];
	}

	/** Live f32 view (invalidated if memory grows: take a fresh one after allocating). */
	f32(): Float32Array {
		if (this.dtype !== 'f32') throw new Error(`engine: ${this.name || 'tensor'} is ${this.dtype}, not f32`);
		return engine().heap.f32.subarray(this.ptr >> 2, (this.ptr >> 2) + this.size);
	}

	i32(): Int32Array {
		if (this.dtype !== 'i32') throw new Error(`engine: ${this.name || 'tensor'} is ${this.dtype}, not i32`);
		return engine().heap.i32.subarray(this.ptr >> 2, (this.ptr >> 2) + this.size);
	}

	u8(): Uint8Array {
		return engine().heap.u8.subarray(this.ptr, this.ptr + this.bytes);
	}

	/** A copy of the contents as f32 (or i32 for integer tensors widened to numbers). */
	toArray(): Float32Array {
		// slice() copies with memcpy into an ordinary buffer; Float32Array.from would iterate element-wise.
		if (this.dtype === 'f32') return this.f32().slice();
		return Float32Array.from(this.dtype === 'i32' ? this.i32() : this.u8());
	}

	/** The scalar value of a one-element tensor. */
	item(): number {
		return this.f32()[0];
	}

	set(values: ArrayLike<number>): this {
		if (values.length !== this.size) throw new Error(`engine: set ${values.length} values into ${this.size}`);
		if (this.dtype === 'f32') this.f32().set(values);
		else if (this.dtype === 'i32') this.i32().set(values);
		else if (this.dtype === 'i8') new Int8Array(this.u8().buffer, this.ptr, this.size).set(values);
		else this.u8().set(values);
		return this;
	}

	fill(value: number): this {
		if (value === 0) engine().kernels.zero(this.ptr, this.bytes);
		else if (this.dtype === 'f32') this.f32().fill(value);
		else this.set(new Array<number>(this.size).fill(value));
		return this;
	}
}
