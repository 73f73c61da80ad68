const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Splits concatenated PNG files (ffmpeg's `image2pipe` output) at chunk boundaries: after the
 * 8-byte signature each chunk is length(4) + type(4) + data + crc(4), and IEND closes a file.
 */
export function splitPngStream(bytes: Uint8Array): Uint8Array[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const images: Uint8Array[] = [];
	let start = 0;
	while (start + SIGNATURE.length <= bytes.length) {
		if (!SIGNATURE.every((b, i) => bytes[start + i] === b)) throw new Error(`PNG stream: no PNG signature at byte ${start}`);
		let at = start + SIGNATURE.length;
		let ended = false;
		while (!ended) {
			if (at + 12 > bytes.length) throw new Error('PNG stream: truncated chunk');
			const length = view.getUint32(at);
			const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
			at += 12 + length;
			ended = type === 'IEND';
		}
		images.push(bytes.subarray(start, at));
		start = at;
	}
	return images;
}
