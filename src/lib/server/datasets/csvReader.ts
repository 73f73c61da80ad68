import { createReadStream } from 'node:fs';
import { parseCsvCell } from './csvColumns';
import { CsvRecordSplitter, type CsvRecord } from './csvParser';
import type { ByteCounter, ReaderLimits, SourceRecord } from './sourceRecord';

const READ_CHUNK_BYTES = 1 << 18;

function isBlankRecord(fields: string[]): boolean {
	return fields.length === 1 && fields[0].trim() === '';
}

/** Maps one CSV record onto its header's column names; rows are numbered like a spreadsheet (header = 1). */
function toSourceRecord(header: string[], record: CsvRecord, limits: ReaderLimits): SourceRecord | null {
	const { row, fields } = record;
	if (fields === null) {
		return { line: row, problem: { kind: 'line_too_long', message: `This row is larger than the limit of ${limits.maxRecordBytes} characters, so it was skipped.` } };
	}
	if (isBlankRecord(fields)) return null;
	if (record.unterminatedQuote) {
		return { line: row, problem: { kind: 'bad_csv', message: 'A quoted cell starting in this row is never closed; check for a missing " character.' } };
	}
	if (fields.length !== header.length) {
		return {
			line: row,
			problem: { kind: 'bad_csv', message: `This row has ${fields.length} cells but the header has ${header.length} columns.` }
		};
	}
	const value: Record<string, unknown> = {};
	for (let i = 0; i < header.length; i++) {
		const column = header[i];
		if (column === '') continue;
		const cell = parseCsvCell(column, fields[i]);
		if (!cell.ok) return { line: row, problem: { kind: 'bad_field_type', message: cell.message, field: column } };
		if (cell.value !== undefined) value[column] = cell.value;
	}
	return { line: row, value };
}

export async function* readCsv(path: string, limits: ReaderLimits, onBytes?: ByteCounter): AsyncGenerator<SourceRecord[]> {
	const splitter = new CsvRecordSplitter(limits.maxRecordBytes);
	let header: string[] | null = null;

	const convert = (records: CsvRecord[]): SourceRecord[] => {
		const out: SourceRecord[] = [];
		for (const record of records) {
			if (header === null) {
				if (record.fields === null || isBlankRecord(record.fields)) continue;
				header = record.fields.map((name) => name.trim().toLowerCase());
				continue;
			}
			const converted = toSourceRecord(header, record, limits);
			if (converted) out.push(converted);
		}
		return out;
	};

	for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
		onBytes?.((chunk as Buffer).length);
		const records = convert(splitter.push(chunk as Buffer));
		if (records.length > 0) yield records;
	}
	const last = convert(splitter.end());
	if (last.length > 0) yield last;
	if (header === null) {
		yield [{ line: 1, problem: { kind: 'bad_csv', message: 'The CSV file is empty; it needs a header row naming its columns.' } }];
	}
}
