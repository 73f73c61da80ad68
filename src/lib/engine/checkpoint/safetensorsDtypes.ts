import { endianness } from 'node:os';
import {
	bfloat16ArrayToFloat32,
	float16ArrayToFloat32,
	float32ArrayToBfloat16,
	float32ArrayToFloat16
} from './halfFloat';

// Safetensors stores little-endian values and this module views bytes as typed arrays directly.
if (endianness() !== 'LE') throw new Error('safetensors support needs a little-endian host');

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** The typed array each dtype is held in; F16 and BF16 keep their raw 16-bit patterns. */
export type TensorData =
	| Float64Array
	| Float32Array
	| Uint16Array
	| BigInt64Array
	| Int32Array
	| Int16Array
	| Int8Array
	| Uint8Array;

interface DtypeSpec {
	bytes: number;
	fromBytes: (buffer: ArrayBuffer, byteOffset: number, length: number) => TensorData;
	isNativeArray: (data: TensorData) => boolean;
}

const DTYPES: Record<SafetensorsDtype, DtypeSpec> = {
	F64: { bytes: 8, fromBytes: (b, o, n) => new Float64Array(b, o, n), isNativeArray: (d) => d instanceof Float64Array },
	F32: { bytes: 4, fromBytes: (b, o, n) => new Float32Array(b, o, n), isNativeArray: (d) => d instanceof Float32Array },
	F16: { bytes: 2, fromBytes: (b, o, n) => new Uint16Array(b, o, n), isNativeArray: (d) => d instanceof Uint16Array },
	BF16: { bytes: 2, fromBytes: (b, o, n) => new Uint16Array(b, o, n), isNativeArray: (d) => d instanceof Uint16Array },
	I64: { bytes: 8, fromBytes: (b, o, n) => new BigInt64Array(b, o, n), isNativeArray: (d) => d instanceof BigInt64Array },
	I32: { bytes: 4, fromBytes: (b, o, n) => new Int32Array(b, o, n), isNativeArray: (d) => d instanceof Int32Array },
	I16: { bytes: 2, fromBytes: (b, o, n) => new Int16Array(b, o, n), isNativeArray: (d) => d instanceof Int16Array },
	I8: { bytes: 1, fromBytes: (b, o, n) => new Int8Array(b, o, n), isNativeArray: (d) => d instanceof Int8Array },
	U8: { bytes: 1, fromBytes: (b, o, n) => new Uint8Array(b, o, n), isNativeArray: (d) => d instanceof Uint8Array },
	BOOL: { bytes: 1, fromBytes: (b, o, n) => new Uint8Array(b, o, n), isNativeArray: (d) => d instanceof Uint8Array }
};

export function isSafetensorsDtype(value: unknown): value is SafetensorsDtype {
	return typeof value === 'string' && Object.hasOwn(DTYPES, value);
}

export function dtypeByteSize(dtype: SafetensorsDtype): number {
	return DTYPES[dtype].bytes;
}

export function elementCount(shape: readonly number[]): number {
	return shape.reduce((count, dim) => count * dim, 1);
}

/** Copies the bytes into a fresh, aligned buffer and views them as the dtype's typed array. */
export function bytesToTensorData(dtype: SafetensorsDtype, bytes: Uint8Array): TensorData {
	const copy = new Uint8Array(bytes.byteLength);
	copy.set(bytes);
	return DTYPES[dtype].fromBytes(copy.buffer, 0, bytes.byteLength / DTYPES[dtype].bytes);
}

/**
 * The bytes to store for `data` as `dtype`. A Float32Array given for F16/BF16 is rounded on the way;
 * any other mismatch between array type and dtype is an error rather than a silent reinterpretation.
 */
export function tensorDataToBytes(name: string, dtype: SafetensorsDtype, data: TensorData): Uint8Array {
	let stored: TensorData = data;
	if (data instanceof Float32Array && dtype === 'F16') stored = float32ArrayToFloat16(data);
	else if (data instanceof Float32Array && dtype === 'BF16') stored = float32ArrayToBfloat16(data);
	else if (!DTYPES[dtype].isNativeArray(data)) {
		throw new TypeError(`tensor "${name}": a ${data.constructor.name} cannot be stored as ${dtype}`);
	}
	return new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
}

/** Widens any dtype to Float32Array: F16/BF16 decoded, integers converted by value. */
export function tensorDataToFloat32(dtype: SafetensorsDtype, data: TensorData): Float32Array {
	if (dtype === 'F16') return float16ArrayToFloat32(data as Uint16Array);
	if (dtype === 'BF16') return bfloat16ArrayToFloat32(data as Uint16Array);
	if (data instanceof Float32Array) return data;
	if (data instanceof BigInt64Array) return Float32Array.from(data, (value) => Number(value));
	return Float32Array.from(data as ArrayLike<number>);
}
