import { readCsv } from './csvReader';
import type { DataFileKind } from './dataFileKind';
import { readJsonArray } from './jsonArrayReader';
import { readJsonl } from './jsonlReader';
import type { ByteCounter, ReaderLimits, SourceRecord } from './sourceRecord';

/** The records of one data file, in batches, whatever its kind. */
export function readRecords(path: string, kind: DataFileKind, limits: ReaderLimits, onBytes?: ByteCounter): AsyncGenerator<SourceRecord[]> {
	switch (kind) {
		case 'jsonl':
			return readJsonl(path, limits, onBytes);
		case 'json':
			return readJsonArray(path, limits, onBytes);
		case 'csv':
			return readCsv(path, limits, onBytes);
	}
}
