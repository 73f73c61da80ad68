/**
 * CSV cells are text; these rules turn the cells of known columns back into the values the JSON formats
 * carry, so a CSV row converts exactly like its JSON twin.
 */

/** Columns whose cell holds JSON (an array of messages, of turns, of [query, response] pairs). */
const JSON_COLUMNS = new Set(['messages', 'conversation', 'conversations', 'history', 'rejected_messages']);
/** Media columns: a JSON array, or paths separated by `;`. */
const PATH_LIST_COLUMNS = new Set(['images', 'audios', 'videos', 'rejected_images', 'image', 'audio', 'video']);

export type CellResult = { ok: true; value: unknown } | { ok: false; message: string };

function parsePathList(cell: string): CellResult {
	const trimmed = cell.trim();
	if (trimmed === '') return { ok: true, value: undefined };
	if (trimmed.startsWith('[')) return parseJsonCell(trimmed, 'a JSON array of paths');
	// Data URLs contain `;` (`data:image/png;base64,...`), so a single data URL is one entry.
	if (trimmed.startsWith('data:') && !trimmed.includes(';data:')) return { ok: true, value: [trimmed] };
	const parts = trimmed.split(';').map((part) => part.trim()).filter((part) => part.length > 0);
	return { ok: true, value: parts };
}

function parseJsonCell(cell: string, expected: string): CellResult {
	try {
		return { ok: true, value: JSON.parse(cell) };
	} catch {
		return { ok: false, message: `This cell should hold ${expected} written as JSON, but it is not valid JSON.` };
	}
}

function parseLabel(cell: string): CellResult {
	const normalised = cell.trim().toLowerCase();
	if (normalised === '') return { ok: true, value: undefined };
	if (normalised === 'true' || normalised === '1') return { ok: true, value: true };
	if (normalised === 'false' || normalised === '0') return { ok: true, value: false };
	// Left as text so validation reports the label as not boolean.
	return { ok: true, value: cell };
}

export function parseCsvCell(column: string, cell: string): CellResult {
	if (JSON_COLUMNS.has(column)) {
		const trimmed = cell.trim();
		return trimmed === '' ? { ok: true, value: undefined } : parseJsonCell(trimmed, 'a list');
	}
	if (PATH_LIST_COLUMNS.has(column)) return parsePathList(cell);
	if (column === 'label') return parseLabel(cell);
	// Empty cells mean "no value", so an empty `input` column does not count as content.
	return { ok: true, value: cell === '' ? undefined : cell };
}
