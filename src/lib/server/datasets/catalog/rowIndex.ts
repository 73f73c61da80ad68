import { open, readFile, stat, writeFile } from 'node:fs/promises';

/**
 * Where every 1024th row of a stored `data.jsonl` starts, so a page deep into a large dataset is read
 * from there instead of from the top. Built by one scan the first time it is needed and kept beside the
 * data (`rows.idx`, little-endian float64 byte offsets); rebuilt whenever the data is newer.
 */

export const ROWS_PER_ENTRY = 1024;
const READ_BYTES = 1 << 20;

async function buildIndex(dataFile: string): Promise<Float64Array> {
	const offsets: number[] = [0];
	const file = await open(dataFile);
	try {
		const buffer = Buffer.allocUnsafe(READ_BYTES);
		let position = 0;
		let rows = 0;
		for (;;) {
			const { bytesRead } = await file.read(buffer, 0, READ_BYTES, position);
			if (bytesRead === 0) break;
			let newline = buffer.indexOf(0x0a, 0);
			while (newline !== -1 && newline < bytesRead) {
				rows++;
				if (rows % ROWS_PER_ENTRY === 0) offsets.push(position + newline + 1);
				newline = buffer.indexOf(0x0a, newline + 1);
			}
			position += bytesRead;
		}
	} finally {
		await file.close();
	}
	return Float64Array.from(offsets);
}

/** The byte offset of row `(entry * ROWS_PER_ENTRY)` for the entry at or before `row`. */
export async function seekRow(dataFile: string, row: number): Promise<{ row: number; byte: number }> {
	const indexFile = `${dataFile.replace(/\.jsonl$/, '')}.rows.idx`;
	const [data, index] = await Promise.all([stat(dataFile), stat(indexFile).catch(() => null)]);
	let offsets: Float64Array;
	if (index && index.mtimeMs >= data.mtimeMs) {
		const bytes = await readFile(indexFile);
		offsets = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
	} else {
		offsets = await buildIndex(dataFile);
		await writeFile(indexFile, new Uint8Array(offsets.buffer));
	}
	const entry = Math.min(Math.floor(row / ROWS_PER_ENTRY), offsets.length - 1);
	return { row: entry * ROWS_PER_ENTRY, byte: offsets[entry] };
}
