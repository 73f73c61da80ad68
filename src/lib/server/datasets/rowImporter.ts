import { mediaListField, type DatasetError, type DatasetFormat, type MediaKind, type StandardRow } from '../../shared/dataset';
import { convertRow } from './convertRow';
import { measureRow, type RowMeasure } from './datasetStats';
import type { ErrorSink } from './errorSink';
import type { MediaResolver, ResolvedMedia } from './mediaResolver';
import type { PreferenceRules } from './preferenceRules';
import type { RowProblem } from './rowProblem';
import type { SourceRecord } from './sourceRecord';
import type { DatasetStore } from './store';
import { validateRow, type RowLimits } from './validateRow';

/**
 * Takes one record from parsed object to stored row: convert, validate, check its media, then store the
 * media and the row with media references rewritten. A row with any problem is reported in full and
 * not stored.
 */

type MediaField = 'images' | 'audios' | 'videos' | 'rejected_images';

const MEDIA_FIELDS: readonly [MediaField, MediaKind][] = [
	[mediaListField.image, 'image'],
	[mediaListField.audio, 'audio'],
	[mediaListField.video, 'video'],
	['rejected_images', 'image']
];

export interface FileContext {
	index: number;
	name: string;
	resolver: MediaResolver;
	formatCounts: Record<string, number>;
	rowsRead: number;
	rowsValid: number;
}

/** Called for each stored row with its index in data.jsonl and its measurements for the statistics (read them during the call: the object may be reused). */
export type StoredRowListener = (row: StandardRow, measure: RowMeasure, index: number, file: FileContext, line: number) => void;

/**
 * Stands in for a row certified plain by a worker (see parallel/plainChunk): such a row has no media,
 * rejected or label fields, which is all the bookkeeping after validation looks at.
 */
const PLAIN_ROW: StandardRow = { messages: [] };

/** A run of worker-certified rows; `measure` fills the text measurements (plain rows have no media). */
export interface PlainRows {
	count: number;
	bytes: Buffer;
	start: number;
	end: number;
	format(k: number): DatasetFormat;
	line(k: number): number;
	measure(k: number, into: RowMeasure): void;
}

function hasMedia(row: StandardRow): boolean {
	return row.images !== undefined || row.audios !== undefined || row.videos !== undefined || row.rejected_images !== undefined;
}

export class RowImporter {
	constructor(
		private readonly store: DatasetStore,
		private readonly errors: ErrorSink,
		private readonly preference: PreferenceRules,
		private readonly limits: RowLimits,
		private readonly onStored: StoredRowListener
	) {}

	/** Returns a promise only when the row needs media work or the disk is behind. */
	handle(record: SourceRecord, file: FileContext): Promise<void> | undefined {
		file.rowsRead++;
		if (record.problem) {
			return this.report(file, record.line, [{ kind: record.problem.kind, field: record.problem.field ?? null, message: record.problem.message }]);
		}
		const { format, row, problems, unchanged } = convertRow(record.value);
		if (format === null) return this.report(file, record.line, problems);
		file.formatCounts[format] = (file.formatCounts[format] ?? 0) + 1;
		problems.push(...validateRow(row, this.limits));
		const preferenceProblem = this.preference.check(row);
		// A label already reported as not boolean need not be reported again as missing.
		if (preferenceProblem && !problems.some((p) => p.kind === preferenceProblem.kind && p.field === preferenceProblem.field)) {
			problems.push(preferenceProblem);
		}
		if (hasMedia(row)) return this.finishWithMedia(row, problems, file, record.line);
		if (problems.length > 0) return this.report(file, record.line, problems);
		return this.storeRow(row, file, record.line, unchanged ? record.raw : undefined);
	}

	private async finishWithMedia(row: StandardRow, problems: RowProblem[], file: FileContext, line: number): Promise<void> {
		const resolved: [MediaField, ResolvedMedia[]][] = [];
		for (const [field, kind] of MEDIA_FIELDS) {
			const refs = row[field];
			if (!refs) continue;
			const list: ResolvedMedia[] = [];
			for (let i = 0; i < refs.length; i++) {
				const result = await file.resolver.resolve(refs[i], kind, `${field}[${i}]`);
				if (result.ok) list.push(result.media);
				else problems.push(result.problem);
			}
			resolved.push([field, list]);
		}
		if (problems.length > 0) return this.report(file, line, problems);
		for (const [field, list] of resolved) {
			const stored: string[] = [];
			for (const media of list) stored.push(await this.store.storeMedia(media));
			row[field] = stored;
		}
		await this.storeRow(row, file, line);
	}

	/**
	 * Rows a worker already converted, validated and measured (see parallel/plainChunk), stored straight
	 * from their bytes: `rows.bytes[start, end)` holds their stored lines back to back.
	 */
	storePlainRows(rows: PlainRows, file: FileContext): Promise<void> | undefined {
		file.rowsRead += rows.count;
		for (let k = 0; k < rows.count; k++) {
			const format = rows.format(k);
			file.formatCounts[format] = (file.formatCounts[format] ?? 0) + 1;
		}
		// Only rows with rejected or label fields change the preference mode, and those are never plain.
		const preferenceProblem = this.preference.check(PLAIN_ROW);
		if (preferenceProblem) return this.reportEach(rows, file, preferenceProblem);
		file.rowsValid += rows.count;
		const { index, waiting } = this.store.writeRowLines(rows.bytes, rows.start, rows.end, rows.count);
		const measure: RowMeasure = { tokens: 0, messages: 0, turns: 0, images: 0, audios: 0, videos: 0, preference: false };
		for (let k = 0; k < rows.count; k++) {
			const line = rows.line(k);
			this.preference.noteStored(PLAIN_ROW, file.index, line);
			rows.measure(k, measure);
			this.onStored(PLAIN_ROW, measure, index + k, file, line);
		}
		return waiting;
	}

	private async reportEach(rows: PlainRows, file: FileContext, found: RowProblem): Promise<void> {
		for (let k = 0; k < rows.count; k++) await this.report(file, rows.line(k), [found]);
	}

	private storeRow(row: StandardRow, file: FileContext, line: number, json?: Buffer): Promise<void> | undefined {
		return this.storeMeasured(row, measureRow(row), file, line, json);
	}

	private storeMeasured(row: StandardRow, measure: RowMeasure, file: FileContext, line: number, json?: Buffer): Promise<void> | undefined {
		file.rowsValid++;
		this.preference.noteStored(row, file.index, line);
		const written = this.store.writeRow(row, json);
		if (typeof written === 'number') {
			this.onStored(row, measure, written, file, line);
			return undefined;
		}
		return written.then((index) => this.onStored(row, measure, index, file, line));
	}

	private report(file: FileContext, line: number, problems: RowProblem[]): Promise<void> | undefined {
		let waiting: Promise<void> | undefined;
		for (const { kind, field, message } of problems) {
			const error: DatasetError = { file: file.name, line, field, kind, message };
			waiting = this.errors.add(error) ?? waiting;
		}
		return waiting;
	}
}
