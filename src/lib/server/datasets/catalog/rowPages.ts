import { createReadStream } from 'node:fs';
import readline from 'node:readline';
import type { StandardRow } from '../../../shared/dataset';

export interface RowPage {
	rows: { index: number; row: StandardRow }[];
	/** Rows scanned (all rows without a query; matches with one). */
	total: number;
}

/**
 * A page of a stored dataset's rows, streamed from `data.jsonl` so a large set is never loaded whole.
 * With a query, only rows whose text contains it (case-insensitive) count; indexes stay the row numbers.
 */
export async function readRowPage(file: string, offset: number, limit: number, query?: string): Promise<RowPage> {
	const needle = query?.trim().toLowerCase() || null;
	const rows: RowPage['rows'] = [];
	let index = -1;
	let matched = 0;
	const lines = readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity });
	for await (const line of lines) {
		if (!line) continue;
		index++;
		if (needle && !line.toLowerCase().includes(needle)) continue;
		if (matched >= offset && rows.length < limit) rows.push({ index, row: JSON.parse(line) as StandardRow });
		matched++;
	}
	return { rows, total: matched };
}
