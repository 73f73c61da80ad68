import type { DatasetErrorKind } from '../../shared/dataset';

/** One record as read from a data file, before conversion: a parsed object or the reason it could not be read. */
export type SourceRecord =
	| {
			line: number;
			value: Record<string, unknown>;
			/** The record's JSON bytes, when it is one line (JSONL): a row that needs no change is stored as is. */
			raw?: Buffer;
			problem?: undefined;
	  }
	| { line: number; value?: undefined; problem: { kind: DatasetErrorKind; message: string; field?: string } };

export interface ReaderLimits {
	/** A JSONL line, a JSON array element or a CSV record larger than this is reported and skipped. */
	maxRecordBytes: number;
}

/** Readers report bytes read so the import can show progress. */
export type ByteCounter = (bytes: number) => void;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJsonError(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
