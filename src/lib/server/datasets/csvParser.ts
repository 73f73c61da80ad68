import { StringDecoder } from 'node:string_decoder';

/**
 * An RFC 4180 record splitter that works chunk by chunk: quoted fields may hold commas, doubled quotes and
 * line breaks, records end at CRLF, LF or a lone CR, and a UTF-8 byte order mark is dropped. It keeps only
 * the record being built, so files of any size stream through.
 */

export interface CsvRecord {
	/** 1-based record number; the header is record 1, like the row numbers a spreadsheet shows. */
	row: number;
	/** The fields, or null when the record was larger than the limit and dropped. */
	fields: string[] | null;
	/** Set when a quoted field was not closed before the end of the file. */
	unterminatedQuote?: boolean;
}

const enum State {
	FieldStart,
	Unquoted,
	Quoted,
	QuoteInQuoted
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

export class CsvRecordSplitter {
	private readonly decoder = new StringDecoder('utf8');
	private state = State.FieldStart;
	private field = '';
	private fields: string[] = [];
	private recordChars = 0;
	private tooLong = false;
	private skipLineFeed = false;
	private row = 0;
	private started = false;

	constructor(private readonly maxRecordChars: number) {}

	/** Feeds one chunk and returns the records it completed. */
	push(chunk: Buffer): CsvRecord[] {
		let text = this.decoder.write(chunk);
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		}
		return this.scan(text);
	}

	/** Flushes the last record when the file does not end with a line break. */
	end(): CsvRecord[] {
		const records = this.scan(this.decoder.end());
		const unterminated = this.state === State.Quoted;
		if (this.state !== State.FieldStart || this.fields.length > 0) {
			this.endField();
			const record = this.endRecord();
			if (record) records.push(unterminated ? { ...record, unterminatedQuote: true } : record);
		}
		return records;
	}

	private scan(text: string): CsvRecord[] {
		const records: CsvRecord[] = [];
		let segmentStart = 0;
		const keepSegment = (end: number) => {
			if (!this.tooLong && end > segmentStart) this.field += text.slice(segmentStart, end);
		};
		for (let i = 0; i < text.length; i++) {
			const code = text.charCodeAt(i);
			if (this.skipLineFeed) {
				this.skipLineFeed = false;
				if (code === LF) {
					segmentStart = i + 1;
					continue;
				}
			}
			this.recordChars++;
			switch (this.state) {
				case State.Quoted:
					if (code === QUOTE) {
						keepSegment(i);
						this.state = State.QuoteInQuoted;
					}
					break;
				case State.QuoteInQuoted:
					if (code === QUOTE) {
						// A doubled quote inside a quoted field stands for one quote character.
						segmentStart = i;
						this.state = State.Quoted;
						break;
					}
				// Falls through: the quote closed the field; treat what follows like unquoted text.
				// eslint-disable-next-line no-fallthrough
				case State.FieldStart:
				case State.Unquoted:
					if (code === COMMA || code === LF || code === CR) {
						if (this.state === State.Unquoted) keepSegment(i);
						this.endField();
						if (code !== COMMA) {
							const record = this.endRecord();
							if (record) records.push(record);
							this.skipLineFeed = code === CR;
						}
						segmentStart = i + 1;
					} else if (code === QUOTE && this.state === State.FieldStart) {
						this.state = State.Quoted;
						segmentStart = i + 1;
					} else if (this.state !== State.Unquoted) {
						// Text after a closing quote, or the first character of an unquoted field.
						this.state = State.Unquoted;
						segmentStart = i;
					}
					break;
			}
			if (!this.tooLong && this.recordChars > this.maxRecordChars) {
				this.tooLong = true;
				this.field = '';
				this.fields = [];
			}
		}
		if (this.state === State.Unquoted || this.state === State.Quoted) {
			keepSegment(text.length);
		}
		return records;
	}

	private endField(): void {
		if (!this.tooLong) this.fields.push(this.field);
		this.field = '';
		this.state = State.FieldStart;
	}

	private endRecord(): CsvRecord | null {
		const fields = this.fields;
		const tooLong = this.tooLong;
		this.fields = [];
		this.recordChars = 0;
		this.tooLong = false;
		this.row++;
		if (tooLong) return { row: this.row, fields: null };
		return { row: this.row, fields };
	}
}
