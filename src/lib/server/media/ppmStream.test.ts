import { describe, expect, it } from 'vitest';
import { splitPpmStream } from './ppmStream';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

describe('splitPpmStream', () => {
	it('splits concatenated P6 images into their pixels, headers with any whitespace', () => {
		const first = [...ascii('P6\n2 1\n255\n'), 1, 2, 3, 4, 5, 6];
		const second = [...ascii('P6 1\t1\r\n255 '), 7, 8, 9];
		const frames = splitPpmStream(Uint8Array.from([...first, ...second]));
		expect(frames.map((f) => [f.width, f.height, Array.from(f.rgb)])).toEqual([
			[2, 1, [1, 2, 3, 4, 5, 6]],
			[1, 1, [7, 8, 9]]
		]);
	});

	it('refuses a stream that is not P6, has 16-bit samples or is cut short', () => {
		expect(() => splitPpmStream(Uint8Array.from(ascii('P5\n1 1\n255\n\u0001')))).toThrow(/no P6 signature at byte 0/);
		expect(() => splitPpmStream(Uint8Array.from([...ascii('P6\n1 1\n65535\n'), 0, 0, 0, 0, 0, 0]))).toThrow(/maxval 65535/);
		expect(() => splitPpmStream(Uint8Array.from([...ascii('P6\n2 2\n255\n'), 1, 2, 3]))).toThrow(/truncated/);
		expect(() => splitPpmStream(Uint8Array.from(ascii('P6\nx')))).toThrow(/expected a number/);
	});
});
