import { isAscii, isUtf8 } from 'node:buffer';
import type { DatasetFormat, StandardRow } from '../../../shared/dataset';
import { datasetFormats } from '../../../shared/datasetNames';
import { measureCanonicalLine, type CanonicalMeasure } from '../canonicalLine';
import { convertRow, type ConvertedRow } from '../convertRow';
import { measureRow } from '../datasetStats';
import { isBlankLine } from '../jsonlReader';
import { hasLabel, hasRejected } from '../preferenceRules';
import { isPlainObject } from '../sourceRecord';
import { validateRow } from '../validateRow';

/**
 * The part of a JSONL import that needs no shared state, run on a newline-aligned chunk of the file in a
 * worker thread: decode, parse, convert, validate and measure each line. A line is certified "plain" only
 * when it is a valid row with no media and no preference fields, so storing it needs nothing but its
 * bytes and its measurements. Every other line (bad, blank-looking, media, preference, too long, BOM) is
 * handed back as "slow" for the main thread to import exactly as the sequential path does.
 */

export interface ChunkLimits {
	maxRecordBytes: number;
	maxFieldChars: number;
}

export interface ChunkRequest {
	id: number;
	chunk: Uint8Array;
	/** The chunk starts the file, so a byte order mark on its first line must be handled. */
	fileStart: boolean;
	limits: ChunkLimits;
}

export interface ChunkResult {
	id: number;
	/** The request's bytes, handed back so the main thread can read the slow lines. */
	chunk: Uint8Array;
	/** Lines in the chunk, blank ones included. */
	lines: number;
	/** Non-blank lines: 0-based line within the chunk. */
	line: Int32Array;
	/** 1: plain, stored from `out`; 0: slow, read from `chunk[start, end)` (the line without its `\n`). */
	plain: Uint8Array;
	start: Int32Array;
	end: Int32Array;
	/**
	 * Plain rows that conversion changed, in stored form, each with its `\n`: row k spans
	 * `out[outStart[k], outEnd[k])`. A row already in stored form is not copied (-1): its line is its bytes.
	 */
	out: Uint8Array;
	outStart: Int32Array;
	outEnd: Int32Array;
	/** Per plain row: index into datasetFormats, token count, messages, assistant turns. */
	format: Uint8Array;
	tokens: Int32Array;
	messages: Int32Array;
	turns: Int32Array;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const FORMAT_INDEX = new Map<DatasetFormat, number>(datasetFormats.map((format, i) => [format, i]));
const MESSAGES_FORMAT = datasetFormats.indexOf('messages');

function isPlainRow(row: StandardRow): boolean {
	return row.images === undefined && row.audios === undefined && row.videos === undefined && row.rejected_images === undefined && !hasRejected(row) && !hasLabel(row);
}

/** Growable byte output for the plain rows' stored form. */
class ByteOut {
	bytes: Buffer;
	used = 0;
	constructor(size: number) {
		// Not from the shared pool: the result is transferred to the main thread whole.
		this.bytes = Buffer.allocUnsafeSlow(size);
	}
	private room(n: number): void {
		if (this.used + n <= this.bytes.length) return;
		const bigger = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + n));
		this.bytes.copy(bigger, 0, 0, this.used);
		this.bytes = bigger;
	}
	text(json: string): void {
		this.room(Buffer.byteLength(json) + 1);
		this.used += this.bytes.write(json, this.used);
		this.bytes[this.used++] = NEWLINE;
	}
}

const BLANK = 0;
const SLOW = 1;

/** The converted row when the line is plain, else BLANK or SLOW. */
function plainRow(buffer: Buffer, start: number, end: number, rawLength: number, mayHaveBom: boolean, ascii: boolean, limits: ChunkLimits): ConvertedRow | typeof BLANK | typeof SLOW {
	if (rawLength > limits.maxRecordBytes || (mayHaveBom && buffer[start] === 0xef)) return SLOW;
	// ASCII decodes the same either way, and latin1 is the cheaper decoder.
	const text = buffer.toString(ascii ? 'latin1' : 'utf8', start, end);
	if (isBlankLine(text)) return BLANK;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return SLOW;
	}
	if (!isPlainObject(value)) return SLOW;
	const converted = convertRow(value);
	if (converted.format === null || converted.problems.length > 0 || !isPlainRow(converted.row)) return SLOW;
	return validateRow(converted.row, limits).length > 0 ? SLOW : converted;
}

export function classifyChunk({ id, chunk, fileStart, limits }: ChunkRequest): ChunkResult {
	const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
	const line: number[] = [];
	const plain: number[] = [];
	const start: number[] = [];
	const end: number[] = [];
	const outStart: number[] = [];
	const outEnd: number[] = [];
	const format: number[] = [];
	const tokens: number[] = [];
	const messages: number[] = [];
	const turns: number[] = [];
	const out = new ByteOut(64 * 1024);
	const ascii = isAscii(buffer);
	// Only a chunk with bad UTF-8 somewhere pays for a check per line; such lines go to the main thread to be reported.
	const utf8 = ascii || isUtf8(buffer);
	const canonical: CanonicalMeasure = { tokens: 0, messages: 0, turns: 0 };
	let lines = 0;
	let from = 0;
	while (from < buffer.length) {
		let newline = buffer.indexOf(NEWLINE, from);
		if (newline === -1) newline = buffer.length;
		const lineIndex = lines++;
		const lineStart = from;
		from = newline + 1;
		let to = newline;
		if (to > lineStart && buffer[to - 1] === CARRIAGE_RETURN) to--;
		const mayHaveBom = fileStart && lineIndex === 0;
		if (!utf8 && !isUtf8(buffer.subarray(lineStart, to))) {
			line.push(lineIndex);
			start.push(lineStart);
			end.push(newline);
			plain.push(0);
			continue;
		}
		if (newline - lineStart <= limits.maxRecordBytes && !mayHaveBom && measureCanonicalLine(buffer, lineStart, to, limits.maxFieldChars, canonical)) {
			line.push(lineIndex);
			start.push(lineStart);
			end.push(newline);
			plain.push(1);
			outStart.push(-1);
			outEnd.push(-1);
			format.push(MESSAGES_FORMAT);
			tokens.push(canonical.tokens);
			messages.push(canonical.messages);
			turns.push(canonical.turns);
			continue;
		}
		const row = plainRow(buffer, lineStart, to, newline - lineStart, mayHaveBom, ascii, limits);
		if (row === BLANK) continue;
		line.push(lineIndex);
		start.push(lineStart);
		end.push(newline);
		if (row === SLOW) {
			plain.push(0);
			continue;
		}
		const measure = measureRow(row.row);
		plain.push(1);
		if (row.unchanged) {
			outStart.push(-1);
			outEnd.push(-1);
		} else {
			outStart.push(out.used);
			out.text(JSON.stringify(row.row));
			outEnd.push(out.used);
		}
		// plainRow only certifies rows whose format was recognised.
		format.push(FORMAT_INDEX.get(row.format ?? 'messages') ?? MESSAGES_FORMAT);
		tokens.push(measure.tokens);
		messages.push(measure.messages);
		turns.push(measure.turns);
	}
	return {
		id,
		chunk,
		lines,
		line: Int32Array.from(line),
		plain: Uint8Array.from(plain),
		start: Int32Array.from(start),
		end: Int32Array.from(end),
		out: new Uint8Array(out.bytes.buffer, out.bytes.byteOffset, out.used),
		outStart: Int32Array.from(outStart),
		outEnd: Int32Array.from(outEnd),
		format: Uint8Array.from(format),
		tokens: Int32Array.from(tokens),
		messages: Int32Array.from(messages),
		turns: Int32Array.from(turns)
	};
}
