import type { RowProblem } from '../rowProblem';

/** Messages between the import and the worker threads that each read one byte range of a JSONL file. */

export interface RangeTask {
	path: string;
	/** Byte offsets; `start` is 0 or just after a newline, so no line is split between two workers. */
	start: number;
	end: number;
	maxRecordBytes: number;
	maxFieldChars: number;
}

export const enum ItemKind {
	Stored = 0,
	Problems = 1,
	Deferred = 2
}

/** One chunk's worth of lines, as parallel arrays so they cross threads cheaply. */
export interface RangeBatch {
	type: 'batch';
	bytes: number;
	formats: Record<string, number>;
	/** One entry per non-blank line, in file order. */
	kinds: Uint8Array;
	/** Line numbers counted from the start of the range (1-based). */
	lines: Uint32Array;
	/** For stored rows: the JSON line, and [tokens, messages, turns] in `measures`. */
	json: string[];
	measures: Uint32Array;
	/** For rows with problems. */
	problems: RowProblem[][];
	/** For rows the import finishes itself: the original line. */
	texts: string[];
}

export interface RangeDone {
	type: 'done';
	/** Lines in the range, so the next range's numbers can be offset. */
	lines: number;
}

export type RangeMessage = RangeBatch | RangeDone;

/** Sent back after each batch is consumed; a worker stops reading while too many are unacknowledged. */
export interface RangeAck {
	type: 'ack';
}
