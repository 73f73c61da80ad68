import { describe, expect, it } from 'vitest';
import {
	bfloat16ArrayToFloat32,
	bfloat16BitsToFloat32,
	float16ArrayToFloat32,
	float16BitsToFloat32,
	float32ToBfloat16Bits,
	float32ToFloat16Bits
} from './halfFloat';

describe('float16', () => {
	it.each([
		[1, 0x3c00],
		[-2, 0xc000],
		[0.1, 0x2e66],
		[65504, 0x7bff],
		[65520, 0x7c00],
		[1e6, 0x7c00],
		[-Infinity, 0xfc00],
		[2 ** -24, 0x0001],
		[2 ** -25, 0x0000],
		[2 ** -14, 0x0400],
		[-0, 0x8000],
		[1 + 2 ** -11, 0x3c00],
		[1 + 3 * 2 ** -11, 0x3c02]
	])('narrows %d to %i with ties to even', (value, bits) => {
		expect(float32ToFloat16Bits(value)).toBe(bits);
	});

	it('keeps NaN a NaN', () => {
		expect(Number.isNaN(float16BitsToFloat32(float32ToFloat16Bits(NaN)))).toBe(true);
	});

	it('round-trips every non-NaN half bit pattern', () => {
		const all = new Uint16Array(65536).map((_, i) => i);
		const widened = float16ArrayToFloat32(all);
		const mismatches: number[] = [];
		for (let bits = 0; bits < 65536; bits++) {
			if (!Number.isNaN(widened[bits]) && float32ToFloat16Bits(widened[bits]) !== bits) mismatches.push(bits);
		}
		expect(mismatches).toEqual([]);
	});
});

describe('bfloat16', () => {
	it.each([
		[1, 0x3f80],
		[Math.PI, 0x4049],
		[1 + 2 ** -8, 0x3f80],
		[1 + 3 * 2 ** -8, 0x3f82],
		[-0, 0x8000],
		[Infinity, 0x7f80]
	])('narrows %d to %i with ties to even', (value, bits) => {
		expect(float32ToBfloat16Bits(value)).toBe(bits);
	});

	it('round-trips every non-NaN bfloat16 bit pattern', () => {
		const all = new Uint16Array(65536).map((_, i) => i);
		const widened = bfloat16ArrayToFloat32(all);
		const mismatches: number[] = [];
		for (let bits = 0; bits < 65536; bits++) {
			if (Number.isNaN(widened[bits])) continue;
			const agrees = Object.is(widened[bits], bfloat16BitsToFloat32(bits));
			if (!agrees || float32ToBfloat16Bits(widened[bits]) !== bits) mismatches.push(bits);
		}
		expect(mismatches).toEqual([]);
		expect(Number.isNaN(bfloat16BitsToFloat32(float32ToBfloat16Bits(NaN)))).toBe(true);
	});
});
