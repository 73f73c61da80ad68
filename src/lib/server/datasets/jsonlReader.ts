import { isAscii, isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { splitLines, type TextLine } from './lineSplitter';
import { firstInvalidUtf8 } from './utf8';
import { describeJsonError, isPlainObject, type ByteCounter, type ReaderLimits, type SourceRecord } from './sourceRecord';

const READ_CHUNK_BYTES = 1 << 18;

export function isBlankLine(text: string): boolean {
	if (text.length === 0) return true;
	const first = text.charCodeAt(0);
	// Only lines that start with whitespace can be blank; skip the trim for the common case.
	return (first === 0x20 || first === 0x09 || first === 0x0d) && text.trim().length === 0;
}

/** One JSONL line as a record; null for a blank line, which is not a record. */
export function recordOfLine({ lineNumber, text, bytes, byteLength }: TextLine, limits: ReaderLimits): SourceRecord | null {
	if (text === null) {
		return {
			line: lineNumber,
			problem: {
				kind: 'line_too_long',
				message: `This line is ${byteLength} bytes, more than the limit of ${limits.maxRecordBytes} bytes, so it was skipped.`
			}
		};
	}
	// Decoding would turn bad bytes into U+FFFD without a word; the row is refused where they are instead.
	if (bytes && !isAscii(bytes) && !isUtf8(bytes)) {
		const offset = firstInvalidUtf8(bytes);
		return { line: lineNumber, problem: { kind: 'bad_utf8', message: `This line is not valid UTF-8: the byte at offset ${offset} of the line (0x${bytes[offset].toString(16).padStart(2, '0')}) starts no character.` } };
	}
	if (isBlankLine(text)) return null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { line: lineNumber, problem: { kind: 'bad_json', message: `This line is not valid JSON: ${describeJsonError(error)}.` } };
	}
	if (isPlainObject(value)) return { line: lineNumber, value, raw: bytes ?? undefined };
	return { line: lineNumber, problem: { kind: 'bad_json', message: 'Each line must be one JSON object ({...}).' } };
}

/** One JSON object per line; blank lines are ignored, anything else that is not an object is reported. */
export async function* readJsonl(path: string, limits: ReaderLimits, onBytes?: ByteCounter): AsyncGenerator<SourceRecord[]> {
	const stream = createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
	for await (const lines of splitLines(stream, limits.maxRecordBytes, onBytes)) {
		const records: SourceRecord[] = [];
		for (const line of lines) {
			const record = recordOfLine(line, limits);
			if (record) records.push(record);
		}
		if (records.length > 0) yield records;
	}
}
