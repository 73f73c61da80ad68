/**
 * Conversions between float32 and the two 16-bit float formats found in checkpoints.
 * Narrowing rounds to nearest, ties to even (what PyTorch's `.half()` / `.bfloat16()` do), so a
 * tensor saved here reloads bit-identical in PyTorch and vice versa.
 */

const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

function float32Bits(value: number): number {
	scratchFloat[0] = value;
	return scratchBits[0];
}

/** IEEE binary16: 1 sign, 5 exponent (bias 15), 10 mantissa bits. */
export function float32ToFloat16Bits(value: number): number {
	const bits = float32Bits(value);
	const sign = (bits >>> 16) & 0x8000;
	const exponent = (bits >>> 23) & 0xff;
	const mantissa = bits & 0x7fffff;
	if (exponent === 0xff) {
		// Keep NaN a NaN (set the quiet bit so the payload cannot collapse to infinity).
		return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
	}
	const halfExponent = exponent - 127 + 15;
	if (halfExponent >= 0x1f) return sign | 0x7c00;
	if (halfExponent <= 0) {
		if (halfExponent < -10) return sign;
		// Subnormal half: value = significand24 * 2^(exponent-150) = half * 2^-24.
		const significand = mantissa | 0x800000;
		const shift = 14 - halfExponent;
		return sign | roundShiftRight(significand, shift);
	}
	// A carry out of the mantissa correctly bumps the exponent (and overflows to infinity).
	return sign | (((halfExponent << 10) | (mantissa >>> 13)) + roundingIncrement(mantissa, 13));
}

/** 1 when dropping the low `shift` bits of `value` must round the kept part up (ties to even). */
function roundingIncrement(value: number, shift: number): number {
	const dropped = value & ((1 << shift) - 1);
	const halfway = 1 << (shift - 1);
	const keptIsOdd = (value >>> shift) & 1;
	return dropped > halfway || (dropped === halfway && keptIsOdd === 1) ? 1 : 0;
}

function roundShiftRight(value: number, shift: number): number {
	return (value >>> shift) + roundingIncrement(value, shift);
}

export function float16BitsToFloat32(bits: number): number {
	const sign = bits & 0x8000 ? -1 : 1;
	const exponent = (bits >>> 10) & 0x1f;
	const mantissa = bits & 0x3ff;
	if (exponent === 0) return sign * mantissa * 2 ** -24;
	if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
	return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** bfloat16 is the top half of a float32, so widening is a shift and narrowing is a rounding. */
export function float32ToBfloat16Bits(value: number): number {
	const bits = float32Bits(value);
	if (Number.isNaN(value)) return ((bits >>> 16) | 0x40) & 0xffff;
	return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16BitsToFloat32(bits: number): number {
	scratchBits[0] = (bits & 0xffff) << 16;
	return scratchFloat[0];
}

let float16Table: Float32Array | undefined;

/** Every half value precomputed once (256 KiB), since checkpoints convert millions of them. */
function float16Lookup(): Float32Array {
	if (!float16Table) {
		float16Table = new Float32Array(65536);
		for (let bits = 0; bits < 65536; bits++) float16Table[bits] = float16BitsToFloat32(bits);
	}
	return float16Table;
}

export function float16ArrayToFloat32(bits: Uint16Array): Float32Array {
	const table = float16Lookup();
	const out = new Float32Array(bits.length);
	for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
	return out;
}

export function bfloat16ArrayToFloat32(bits: Uint16Array): Float32Array {
	const out = new Float32Array(bits.length);
	const outBits = new Uint32Array(out.buffer);
	for (let i = 0; i < bits.length; i++) outBits[i] = bits[i] << 16;
	return out;
}

export function float32ArrayToFloat16(values: Float32Array): Uint16Array {
	const out = new Uint16Array(values.length);
	for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i]);
	return out;
}

export function float32ArrayToBfloat16(values: Float32Array): Uint16Array {
	const out = new Uint16Array(values.length);
	for (let i = 0; i < values.length; i++) out[i] = float32ToBfloat16Bits(values[i]);
	return out;
}
