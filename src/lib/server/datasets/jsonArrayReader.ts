import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { readJsonl } from './jsonlReader';
import { describeJsonError, isPlainObject, type ByteCounter, type ReaderLimits, type SourceRecord } from './sourceRecord';

/**
 * Streams a `.json` file holding one top-level array: a byte scanner finds where each element starts and
 * ends (tracking nesting and strings) and only that element's bytes are handed to JSON.parse, so a large
 * file never sits in memory whole. A file that starts with `{` is read as JSON Lines instead, the way the
 * `datasets` loader ms-swift uses treats it.
 */

const READ_CHUNK_BYTES = 1 << 18;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const NEWLINE = 0x0a;

function isWhitespace(byte: number): boolean {
	return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

async function firstSignificantByte(path: string): Promise<number | null> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.alloc(4096);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		let i = bytesRead >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
		while (i < bytesRead && isWhitespace(buffer[i])) i++;
		return i < bytesRead ? buffer[i] : null;
	} finally {
		await handle.close();
	}
}

export async function* readJsonArray(path: string, limits: ReaderLimits, onBytes?: ByteCounter): AsyncGenerator<SourceRecord[]> {
	const first = await firstSignificantByte(path);
	if (first === OPEN_BRACE) {
		yield* readJsonl(path, limits, onBytes);
		return;
	}
	if (first !== OPEN_BRACKET) {
		yield [{ line: 1, problem: { kind: 'bad_json', message: 'A .json dataset must be an array of objects ([{...}, {...}]).' } }];
		return;
	}
	yield* scanArray(path, limits, onBytes);
}

function parseElement(text: string, line: number): SourceRecord {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return { line, problem: { kind: 'bad_json', message: `This array element is not valid JSON: ${describeJsonError(error)}.` } };
	}
	if (isPlainObject(value)) return { line, value };
	return { line, problem: { kind: 'bad_json', message: 'Each element of the array must be a JSON object ({...}).' } };
}

async function* scanArray(path: string, limits: ReaderLimits, onBytes?: ByteCounter): AsyncGenerator<SourceRecord[]> {
	let line = 1;
	let opened = false;
	let closed = false;
	let depth = 0;
	let inString = false;
	let escaped = false;
	let inElement = false;
	let elementLine = 0;
	let pieces: Buffer[] = [];
	let pieceBytes = 0;
	let tooLong = false;
	let trailingGarbageLine = 0;
	let bomChecked = false;

	const tooLongRecord = (): SourceRecord => ({
		line: elementLine,
		problem: { kind: 'line_too_long', message: `This array element is larger than the limit of ${limits.maxRecordBytes} bytes, so it was skipped.` }
	});

	for await (const raw of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) {
		let chunk = raw as Buffer;
		onBytes?.(chunk.length);
		if (!bomChecked) {
			bomChecked = true;
			if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
		}
		const records: SourceRecord[] = [];
		let elementStart = inElement ? 0 : -1;

		const finishElement = (end: number) => {
			const length = end - elementStart;
			if (tooLong || pieceBytes + length > limits.maxRecordBytes) {
				records.push(tooLongRecord());
			} else if (pieceBytes === 0) {
				records.push(parseElement(chunk.toString('utf8', elementStart, end), elementLine));
			} else {
				pieces.push(chunk.subarray(elementStart, end));
				records.push(parseElement(Buffer.concat(pieces).toString('utf8'), elementLine));
			}
			pieces = [];
			pieceBytes = 0;
			tooLong = false;
			inElement = false;
			elementStart = -1;
		};

		for (let i = 0; i < chunk.length; i++) {
			const byte = chunk[i];
			if (byte === NEWLINE) line++;
			if (inString) {
				if (escaped) escaped = false;
				else if (byte === BACKSLASH) escaped = true;
				else if (byte === QUOTE) inString = false;
				continue;
			}
			if (!opened) {
				if (byte === OPEN_BRACKET) opened = true;
				continue;
			}
			if (closed) {
				if (!isWhitespace(byte) && trailingGarbageLine === 0) trailingGarbageLine = line;
				continue;
			}
			if (!inElement) {
				if (isWhitespace(byte) || byte === COMMA) continue;
				if (byte === CLOSE_BRACKET) {
					closed = true;
					continue;
				}
				inElement = true;
				elementLine = line;
				elementStart = i;
				depth = 0;
			}
			if (byte === QUOTE) inString = true;
			else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
			else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
				if (depth === 0) {
					// A bare value (number, true, ...) ends at the array's closing bracket.
					finishElement(i);
					closed = true;
					continue;
				}
				depth--;
				if (depth === 0) finishElement(i + 1);
			} else if (depth === 0 && (byte === COMMA || isWhitespace(byte))) finishElement(i);
		}

		if (inElement) {
			const rest = chunk.length - elementStart;
			if (tooLong || pieceBytes + rest > limits.maxRecordBytes) {
				tooLong = true;
				pieces = [];
			} else {
				pieces.push(Buffer.from(chunk.subarray(elementStart)));
			}
			pieceBytes += rest;
		}
		if (records.length > 0) yield records;
	}

	if (inElement) {
		yield [{ line: elementLine, problem: { kind: 'bad_json', message: 'The file ends in the middle of an array element.' } }];
	} else if (!closed) {
		yield [{ line, problem: { kind: 'bad_json', message: 'The file ends before the closing ] of the array.' } }];
	} else if (trailingGarbageLine > 0) {
		yield [{ line: trailingGarbageLine, problem: { kind: 'bad_json', message: 'There is text after the closing ] of the array.' } }];
	}
}
