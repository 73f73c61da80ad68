import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { StandardRow } from '../../../shared/dataset';
import { measureCanonicalLine, type CanonicalMeasure } from '../canonicalLine';
import { countTokens } from '../countTokens';
import { splitLines } from '../lineSplitter';

/**
 * Every stored row's token count, so the share of rows over any max_length is exact rather than read off
 * the histogram's buckets. Counted by one pass the first time it is asked for and kept beside the data
 * (`data.tokens.u32`, little-endian uint32 per row); counted again whenever the data is newer.
 */

async function countAll(dataFile: string): Promise<Uint32Array> {
	let counts = new Uint32Array(1 << 16);
	let rows = 0;
	const measure: CanonicalMeasure = { tokens: 0, messages: 0, turns: 0 };
	for await (const lines of splitLines(createReadStream(dataFile), Number.MAX_SAFE_INTEGER)) {
		for (const { text, bytes } of lines) {
			if (!text) continue;
			// Plain text rows are measured from their bytes; the rest (media, non-ASCII) are parsed.
			const fast = bytes !== null && measureCanonicalLine(bytes, 0, bytes.length, Number.POSITIVE_INFINITY, measure);
			if (rows === counts.length) {
				const bigger = new Uint32Array(counts.length * 2);
				bigger.set(counts);
				counts = bigger;
			}
			counts[rows++] = fast ? measure.tokens : countTokens(JSON.parse(text) as StandardRow);
		}
	}
	return counts.slice(0, rows);
}

export async function rowTokenCounts(dataFile: string): Promise<Uint32Array> {
	const cacheFile = `${dataFile.replace(/\.jsonl$/, '')}.tokens.u32`;
	const [data, cache] = await Promise.all([stat(dataFile), stat(cacheFile).catch(() => null)]);
	if (cache && cache.mtimeMs >= data.mtimeMs) {
		const bytes = await readFile(cacheFile);
		return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
	}
	const counts = await countAll(dataFile);
	await writeFile(cacheFile, new Uint8Array(counts.buffer, counts.byteOffset, counts.byteLength));
	return counts;
}

/** How many rows have more tokens than `maxLength`. */
export async function rowsOver(dataFile: string, maxLength: number): Promise<{ rows: number; over: number }> {
	const counts = await rowTokenCounts(dataFile);
	let over = 0;
	for (let i = 0; i < counts.length; i++) if (counts[i] > maxLength) over++;
	return { rows: counts.length, over };
}
