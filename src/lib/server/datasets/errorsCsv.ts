import type { DatasetError } from '../../shared/dataset';

/** The error list as CSV for spreadsheets: RFC 4180 quoting, CRLF line ends, one header row. */

const COLUMNS = ['file', 'line', 'field', 'kind', 'message'] as const;

function quoteCell(value: string | number | null): string {
	if (value === null) return '';
	const text = String(value);
	// Cells a spreadsheet would run as a formula get a leading apostrophe.
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function errorCsvHeader(): string {
	return `${COLUMNS.join(',')}\r\n`;
}

export function errorToCsvLine(error: DatasetError): string {
	return `${COLUMNS.map((column) => quoteCell(error[column])).join(',')}\r\n`;
}

export function errorsToCsv(errors: Iterable<DatasetError>): string {
	let csv = errorCsvHeader();
	for (const error of errors) csv += errorToCsvLine(error);
	return csv;
}
