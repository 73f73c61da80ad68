import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
	datasetSplitSchema,
	type DatasetError,
	type DatasetPurpose,
	type DatasetSplit,
	type DatasetStats,
	type DatasetSummary,
	type FileReport,
	type ImportProgress
} from '../../shared/dataset';
import { DEFAULT_EXTRACTION_LIMITS } from './archive/extractArchive';
import type { ExtractionLimits } from './archive/extractionBudget';
import { DatasetStatsAccumulator } from './datasetStats';
import { ErrorSink } from './errorSink';
import { MediaResolver } from './mediaResolver';
import { DEFAULT_PARALLEL_OPTIONS, importJsonlInParallel, type ParallelOptions } from './parallel/importParallel';
import { hasLabel, hasRejected, PreferenceRules } from './preferenceRules';
import { ProgressMeter } from './progressMeter';
import { readRecords } from './readRecords';
import { RowImporter, type FileContext } from './rowImporter';
import { stageSources, type ImportSource } from './stageSources';
import { DatasetStore } from './store';

/**
 * The whole import: uploaded files in; `data.jsonl`, `media/` and `errors.jsonl` out, with a summary,
 * the first errors and the statistics. Everything streams; memory stays flat whatever the file size.
 */

export type { ImportSource } from './stageSources';

export interface ImportLimits {
	/** Largest JSONL line, JSON array element or CSV record. */
	maxRecordBytes: number;
	/** Longest message content, in characters. */
	maxFieldChars: number;
	maxMediaBytes: number;
	extraction: ExtractionLimits;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
	// SWIFTBOARD_MAX_ROW_MB's default: the reader refuses a longer line without holding it.
	maxRecordBytes: 16 * 1024 ** 2,
	maxFieldChars: 4_000_000,
	maxMediaBytes: 2 * 1024 ** 3,
	extraction: DEFAULT_EXTRACTION_LIMITS
};

export interface ImportOptions {
	dataDir: string;
	/** Folder name under `<dataDir>/datasets/`; letters, digits, `-` and `_`. */
	datasetId: string;
	/** Store the valid rows and skip the rest; when false, any error means nothing is stored. */
	skipInvalid: boolean;
	purpose?: DatasetPurpose;
	/** A server folder media paths may also point into (symbolic links must stay inside it). */
	mediaRoot?: string;
	/** The max_length statistics compare against. */
	maxLength?: number;
	split?: Partial<DatasetSplit>;
	limits?: Partial<ImportLimits>;
	/** How many errors the result carries; all of them are in errors.jsonl. */
	maxErrorsReturned?: number;
	onProgress?: (progress: ImportProgress) => void;
	signal?: AbortSignal;
	/** How large JSONL files are spread over worker threads (see parallel/importParallel). */
	parallel?: Partial<ParallelOptions>;
}

export interface ImportResult {
	summary: DatasetSummary;
	/** The first `maxErrorsReturned` errors. */
	errors: DatasetError[];
	stats: DatasetStats;
}

const DEFAULT_MAX_LENGTH = 2048;

async function totalSize(paths: readonly string[]): Promise<number> {
	let total = 0;
	// A file that cannot be read counts as empty here; staging reports it.
	for (const filePath of paths) total += await stat(filePath).then((info) => info.size, () => 0);
	return total;
}

export async function importDataset(sources: readonly ImportSource[], options: ImportOptions): Promise<ImportResult> {
	const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...options.limits };
	const purpose = options.purpose ?? 'auto';
	const split = datasetSplitSchema.parse(options.split ?? {});
	const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
	const parallel: ParallelOptions = { ...DEFAULT_PARALLEL_OPTIONS, ...options.parallel };

	const store = await DatasetStore.create(options.dataDir, options.datasetId);
	const stagingDir = path.join(store.paths.dir, '.staging');
	const errors = new ErrorSink(store, options.maxErrorsReturned ?? 1000);
	let closed = false;
	try {
		const extracting = new ProgressMeter('extracting', await totalSize(sources.map((s) => s.path)), options.onProgress);
		const staged = await stageSources(sources, stagingDir, {
			mediaRoot: options.mediaRoot,
			extractionLimits: limits.extraction,
			onBytes: (bytes) => extracting.add(bytes)
		});
		extracting.flush();
		for (const error of staged.errors) await errors.add(error);

		const preference = new PreferenceRules(purpose);
		const allStats = new DatasetStatsAccumulator(maxLength, split);
		// With `auto`, the rows that survive if the data turns out to be DPO or KTO get their own statistics,
		// indexed as they will be once the other rows are dropped.
		const dpoStats = new DatasetStatsAccumulator(maxLength, split);
		const ktoStats = new DatasetStatsAccumulator(maxLength, split);
		let dpoRows = 0;
		let ktoRows = 0;
		const importer = new RowImporter(store, errors, preference, { maxFieldChars: limits.maxFieldChars }, (row, measure, index, file, line) => {
			allStats.addMeasured(measure, index, file.name, line);
			if (purpose !== 'auto') return;
			if (hasRejected(row)) dpoStats.addMeasured(measure, dpoRows++, file.name, line);
			if (hasLabel(row)) ktoStats.addMeasured(measure, ktoRows++, file.name, line);
		});

		const reading = new ProgressMeter('reading', staged.dataFiles.reduce((sum, file) => sum + file.size, 0), options.onProgress);
		const files: FileContext[] = [];
		for (const dataFile of staged.dataFiles) {
			const file: FileContext = {
				index: files.length,
				name: dataFile.name,
				resolver: new MediaResolver({ looseFiles: staged.looseFiles, folders: dataFile.folders, maxMediaBytes: limits.maxMediaBytes }),
				formatCounts: {},
				rowsRead: 0,
				rowsValid: 0
			};
			files.push(file);
			const onBytes = (bytes: number) => reading.add(bytes);
			try {
				if (dataFile.kind === 'jsonl' && dataFile.size >= parallel.minBytes) {
					const chunkLimits = { maxRecordBytes: limits.maxRecordBytes, maxFieldChars: limits.maxFieldChars };
					await importJsonlInParallel(dataFile.path, file, importer, chunkLimits, parallel, onBytes, options.signal);
				} else {
					for await (const batch of readRecords(dataFile.path, dataFile.kind, { maxRecordBytes: limits.maxRecordBytes }, onBytes)) {
						options.signal?.throwIfAborted();
						for (const record of batch) {
							const pending = importer.handle(record, file);
							if (pending) await pending;
						}
					}
				}
			} catch (error) {
				const { code, syscall } = error as NodeJS.ErrnoException;
				// Only a failure to open or read the file is reported and skipped; anything else (a full disk, a cancel) ends the import.
				if (options.signal?.aborted || (syscall !== 'open' && syscall !== 'read')) throw error;
				await errors.add({ file: file.name, line: null, field: null, kind: 'file_unreadable', message: `The file could not be read (${code ?? 'unknown error'}).` });
			}
		}
		reading.flush();
		options.onProgress?.({ phase: 'finishing', bytesProcessed: reading.bytes, bytesTotal: reading.bytes });

		let lateDrops = 0;
		for (const late of preference.lateProblems()) {
			const file = files[late.fileIndex];
			file.rowsValid--;
			lateDrops++;
			await errors.add({ file: file.name, line: late.line, ...late.problem });
		}
		const counts = await store.close();
		closed = true;

		const imported = errors.count === 0 || options.skipInvalid;
		let rowsStored = counts.rows;
		if (!imported) {
			await store.discardRows();
			rowsStored = 0;
		} else if (lateDrops > 0) {
			rowsStored = await store.keepRows((row) => preference.keeps(row));
		}
		const mode = preference.mode;
		const stats = (purpose === 'auto' && mode === 'dpo' ? dpoStats : purpose === 'auto' && mode === 'kto' ? ktoStats : allStats).result();

		const rowsRead = files.reduce((sum, file) => sum + file.rowsRead, 0);
		const summary: DatasetSummary = {
			id: options.datasetId,
			imported,
			purpose: purpose === 'auto' ? mode : purpose,
			files: files.map(fileReport),
			rowsRead,
			rowsStored,
			rowsSkipped: rowsRead - rowsStored,
			mediaFiles: imported ? counts.mediaFiles : 0,
			mediaBytes: imported ? counts.mediaBytes : 0,
			errorCount: errors.count,
			errorsByKind: { ...errors.byKind },
			bytesRead: reading.bytes
		};
		return { summary, errors: errors.firstErrors, stats: imported ? stats : new DatasetStatsAccumulator(maxLength, split).result() };
	} catch (error) {
		if (!closed) await store.close().catch(() => undefined);
		// A failed or cancelled import leaves nothing half-written behind.
		await rm(store.paths.dir, { recursive: true, force: true });
		throw error;
	} finally {
		await rm(stagingDir, { recursive: true, force: true });
	}
}

function fileReport(file: FileContext): FileReport {
	let format: FileReport['format'] = null;
	let best = 0;
	for (const [name, count] of Object.entries(file.formatCounts)) {
		if (count > best) {
			best = count;
			format = name as FileReport['format'];
		}
	}
	return { file: file.name, format, formatCounts: { ...file.formatCounts }, rowsRead: file.rowsRead, rowsValid: file.rowsValid };
}
