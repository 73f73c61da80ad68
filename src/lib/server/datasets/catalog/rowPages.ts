import { createReadStream } from 'node:fs';
import type { StandardRow } from '../../../shared/dataset';
import { splitLines } from '../lineSplitter';
import { seekRow } from './rowIndex';

export interface RowPage {
	rows: { index: number; row: StandardRow }[];
	/** All rows without a query; the rows that match with one. */
	total: number;
}

/** Lines of `file` from byte `start`, blank lines skipped (a stored dataset has none but the last). */
async function* rowLines(file: string, start: number): AsyncGenerator<string> {
	const input = createReadStream(file, { start });
	try {
		// The import bounded every stored row, so no line here is longer than a row may be.
		for await (const lines of splitLines(input, Number.MAX_SAFE_INTEGER)) for (const { text } of lines) if (text) yield text;
	} finally {
		// A page stops reading early; the file must not stay open until the collector notices.
		input.destroy();
	}
}

/**
 * A page of a stored dataset's rows, streamed from `data.jsonl` so a large set is never loaded whole.
 * Without a query the page is read from the nearest indexed row and reading stops after it; with one,
 * every row is scanned (case-insensitive) to count the matches, and indexes stay the row numbers.
 */
export async function readRowPage(file: string, offset: number, limit: number, rowCount: number, query?: string): Promise<RowPage> {
	const needle = query?.trim().toLowerCase() || null;
	const rows: RowPage['rows'] = [];
	if (!needle) {
		if (offset >= rowCount || limit === 0) return { rows, total: rowCount };
		const from = await seekRow(file, offset);
		let index = from.row;
		for await (const line of rowLines(file, from.byte)) {
			if (index >= offset) rows.push({ index, row: JSON.parse(line) as StandardRow });
			index++;
			if (rows.length >= limit) break;
		}
		return { rows, total: rowCount };
	}
	let index = -1;
	let matched = 0;
	for await (const line of rowLines(file, 0)) {
		index++;
		if (!line.toLowerCase().includes(needle)) continue;
		if (matched >= offset && rows.length < limit) rows.push({ index, row: JSON.parse(line) as StandardRow });
		matched++;
	}
	return { rows, total: matched };
}
