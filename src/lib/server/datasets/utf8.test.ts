import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from './utf8';

describe('firstInvalidUtf8', () => {
	it('finds the first bad byte and agrees with isUtf8', () => {
		const cases: [number[], number][] = [
			[[0x61, 0x62], -1],
			[[...Buffer.from('é€😀')], -1],
			[[0x61, 0xff, 0x62], 1],
			[[0x61, 0xc3], 1],
			[[0xc0, 0x80], 0],
			[[0xe0, 0x80, 0x80], 0],
			[[0xed, 0xa0, 0x80], 0],
			[[0xf4, 0x90, 0x80, 0x80], 0],
			[[0x7b, 0xe2, 0x82, 0x41], 1]
		];
		for (const [bytes, offset] of cases) {
			expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(offset);
			expect(isUtf8(Uint8Array.from(bytes))).toBe(offset === -1);
		}
	});
});
