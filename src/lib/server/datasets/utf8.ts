/**
 * The offset of the first byte that does not belong to a well-formed UTF-8 sequence (no overlongs, no
 * surrogates, nothing past U+10FFFF), or -1 when every byte does. Called only once `isUtf8` said no,
 * to tell the user where.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		let length: number;
		let min: number;
		let max = 0xbf;
		if (b >= 0xc2 && b <= 0xdf) length = 2;
		else if (b >= 0xe0 && b <= 0xef) length = 3;
		else if (b >= 0xf0 && b <= 0xf4) length = 4;
		else return i;
		// The second byte's range excludes overlongs (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
		if (b === 0xe0) min = 0xa0;
		else if (b === 0xf0) min = 0x90;
		else min = 0x80;
		if (b === 0xed) max = 0x9f;
		if (b === 0xf4) max = 0x8f;
		if (i + 1 >= bytes.length || bytes[i + 1] < min || bytes[i + 1] > max) return i;
		for (let k = 2; k < length; k++) {
			if (i + k >= bytes.length || bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
		}
		i += length;
	}
	return -1;
}
