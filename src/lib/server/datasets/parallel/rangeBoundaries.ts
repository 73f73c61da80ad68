import { open } from 'node:fs/promises';

const PROBE_BYTES = 1 << 16;

/**
 * Cuts a file into about `parts` byte ranges that each start right after a newline, so every line lies
 * wholly inside one range. Returns the start offsets; each range ends where the next begins.
 */
export async function lineAlignedStarts(filePath: string, size: number, parts: number): Promise<number[]> {
	const starts = [0];
	const handle = await open(filePath, 'r');
	try {
		const probe = Buffer.alloc(PROBE_BYTES);
		for (let i = 1; i < parts; i++) {
			let position = Math.max(Math.floor((size * i) / parts), starts[starts.length - 1] + 1);
			let found = -1;
			while (position < size && found === -1) {
				const { bytesRead } = await handle.read(probe, 0, PROBE_BYTES, position);
				if (bytesRead === 0) break;
				const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
				if (newline === -1) position += bytesRead;
				else found = position + newline + 1;
			}
			if (found === -1 || found >= size) break;
			starts.push(found);
		}
	} finally {
		await handle.close();
	}
	return starts;
}
