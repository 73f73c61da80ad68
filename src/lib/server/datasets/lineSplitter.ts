/**
 * Splits a byte stream into text lines without ever holding more than one line plus one chunk in memory.
 *
 * Lines are decoded straight out of the incoming chunk when they fit inside it; only a line that spans
 * chunks is gathered piecewise and joined once, so very long lines cost one copy rather than a string
 * concatenation per chunk. Lines come out in batches (one per chunk) so the consumer pays one await per
 * chunk instead of one per line.
 */

export interface TextLine {
	/** 1-based line number in the file. */
	lineNumber: number;
	/** The line without its `\n` / `\r\n`; null when it was longer than the limit and dropped. */
	text: string | null;
	/**
	 * The same line as bytes (a view into the read buffer, after any byte order mark), for checking its
	 * encoding and writing it out again without re-encoding; null when the line was dropped.
	 */
	bytes: Buffer | null;
	byteLength: number;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

function lineOf(lineNumber: number, buffer: Buffer, start: number, end: number, byteLength: number): TextLine {
	if (end > start && buffer[end - 1] === CARRIAGE_RETURN) end--;
	return { lineNumber, byteLength, text: buffer.toString('utf8', start, end), bytes: buffer.subarray(start, end) };
}

function droppedLine(lineNumber: number, byteLength: number): TextLine {
	return { lineNumber, byteLength, text: null, bytes: null };
}

/** A UTF-8 byte order mark decodes to U+FEFF at the start of line 1; it is not part of the data. */
function withoutBom(lines: TextLine[]): TextLine[] {
	const first = lines[0];
	if (first.lineNumber === 1 && first.text !== null && first.text.charCodeAt(0) === 0xfeff) {
		first.text = first.text.slice(1);
		first.bytes = first.bytes?.subarray(3) ?? null;
	}
	return lines;
}

/** One line cut out of a buffer (`end` at its `\n`), exactly as splitLines would give it. */
export function cutLine(lineNumber: number, buffer: Buffer, start: number, end: number, maxLineBytes: number): TextLine {
	const byteLength = end - start;
	if (byteLength > maxLineBytes) return droppedLine(lineNumber, byteLength);
	const line = lineOf(lineNumber, buffer, start, end, byteLength);
	return lineNumber === 1 ? withoutBom([line])[0] : line;
}

export async function* splitLines(
	source: AsyncIterable<Buffer | string>,
	maxLineBytes: number,
	onBytes?: (bytes: number) => void
): AsyncGenerator<TextLine[]> {
	let lineNumber = 0;
	let pending: Buffer[] = [];
	let pendingBytes = 0;
	let pendingTooLong = false;

	for await (const raw of source) {
		const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
		onBytes?.(chunk.length);
		const batch: TextLine[] = [];
		let start = 0;
		let newline = chunk.indexOf(NEWLINE, start);
		while (newline !== -1) {
			lineNumber++;
			if (pendingBytes === 0 && !pendingTooLong) {
				const byteLength = newline - start;
				batch.push(byteLength > maxLineBytes ? droppedLine(lineNumber, byteLength) : lineOf(lineNumber, chunk, start, newline, byteLength));
			} else {
				const byteLength = pendingBytes + newline - start;
				if (!pendingTooLong && byteLength <= maxLineBytes) {
					pending.push(chunk.subarray(start, newline));
					batch.push(lineOf(lineNumber, Buffer.concat(pending, byteLength), 0, byteLength, byteLength));
				} else {
					batch.push(droppedLine(lineNumber, byteLength));
				}
				pending = [];
				pendingBytes = 0;
				pendingTooLong = false;
			}
			start = newline + 1;
			newline = chunk.indexOf(NEWLINE, start);
		}
		if (start < chunk.length) {
			const rest = chunk.length - start;
			pendingBytes += rest;
			if (pendingBytes > maxLineBytes) {
				// Keep counting bytes for the report but stop holding them.
				pendingTooLong = true;
				pending = [];
			} else {
				// Copied: a view would keep the whole chunk alive until the line ends.
				pending.push(Buffer.from(chunk.subarray(start)));
			}
		}
		if (batch.length > 0) yield lineNumber === batch.length ? withoutBom(batch) : batch;
	}

	if (pendingBytes > 0 || pendingTooLong) {
		lineNumber++;
		const last = pendingTooLong ? droppedLine(lineNumber, pendingBytes) : lineOf(lineNumber, Buffer.concat(pending, pendingBytes), 0, pendingBytes, pendingBytes);
		yield withoutBom([last]);
	}
}
