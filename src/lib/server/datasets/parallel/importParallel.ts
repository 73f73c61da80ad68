import { datasetFormats } from '../../../shared/dataset';
import type { RowMeasure } from '../datasetStats';
import { recordOfLine } from '../jsonlReader';
import { cutLine } from '../lineSplitter';
import type { FileContext, PlainRows, RowImporter } from '../rowImporter';
import type { ByteCounter } from '../sourceRecord';
import { defaultChunkWorkers } from './chunkPool';
import { JsonlChunks } from './parallelJsonl';
import type { ChunkLimits, ChunkResult } from './plainChunk';

/**
 * Imports a large JSONL file with the parsing spread over worker threads. Runs of rows the workers
 * certified plain are stored straight from their bytes; every other line goes through RowImporter.handle
 * exactly as in the sequential path, in file order, so results and errors are the same either way.
 */

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/** Consecutive plain rows of one chunk whose stored lines lie back to back in one buffer. */
class ChunkRun implements PlainRows {
	count = 0;
	bytes: Buffer = Buffer.alloc(0);
	start = 0;
	end = 0;
	/** Index of the run's first entry in the chunk result, and of its first plain row. */
	private entry = 0;
	private plainRow = 0;

	constructor(
		private readonly result: ChunkResult,
		private readonly firstLine: number
	) {}

	reset(bytes: Buffer, start: number, end: number, entry: number, plainRow: number): void {
		this.bytes = bytes;
		this.start = start;
		this.end = end;
		this.entry = entry;
		this.plainRow = plainRow;
		this.count = 1;
	}

	format(k: number) {
		return datasetFormats[this.result.format[this.plainRow + k]];
	}
	line(k: number): number {
		return this.firstLine + this.result.line[this.entry + k];
	}
	measure(k: number, into: RowMeasure): void {
		const i = this.plainRow + k;
		into.tokens = this.result.tokens[i];
		into.messages = this.result.messages[i];
		into.turns = this.result.turns[i];
	}
}

async function importChunk(result: ChunkResult, firstLine: number, file: FileContext, importer: RowImporter, limits: ChunkLimits): Promise<void> {
	const chunk = Buffer.from(result.chunk.buffer, result.chunk.byteOffset, result.chunk.byteLength);
	const out = Buffer.from(result.out.buffer, result.out.byteOffset, result.out.byteLength);
	const run = new ChunkRun(result, firstLine);
	const entries = result.line.length;
	let plainRow = 0;
	let i = 0;
	while (i < entries) {
		if (result.plain[i] === 0) {
			const record = recordOfLine(cutLine(firstLine + result.line[i], chunk, result.start[i], result.end[i], limits.maxRecordBytes), limits);
			const pending = record ? importer.handle(record, file) : undefined;
			if (pending) await pending;
			i++;
			continue;
		}
		const converted = result.outStart[plainRow] >= 0;
		if (converted) {
			run.reset(out, result.outStart[plainRow], result.outEnd[plainRow], i, plainRow);
			// Converted rows follow one another in `out` whatever lies between their lines.
			while (i + run.count < entries && result.plain[i + run.count] === 1 && result.outStart[plainRow + run.count] >= 0) {
				run.end = result.outEnd[plainRow + run.count];
				run.count++;
			}
		} else {
			// A row already in stored form is its own line, taken with its newline, so lines that follow
			// one another directly (no blank line between, no `\r`) are one stretch of the chunk.
			const storable = (e: number) => result.end[e] < chunk.length && chunk[result.end[e] - 1] !== CARRIAGE_RETURN;
			if (storable(i)) {
				run.reset(chunk, result.start[i], result.end[i] + 1, i, plainRow);
				while (
					i + run.count < entries &&
					result.plain[i + run.count] === 1 &&
					result.outStart[plainRow + run.count] < 0 &&
					result.start[i + run.count] === run.end &&
					storable(i + run.count)
				) {
					run.end = result.end[i + run.count] + 1;
					run.count++;
				}
			} else {
				// The last line of a file without a final newline, or a `\r\n` line: copied once with a newline.
				const end = chunk[result.end[i] - 1] === CARRIAGE_RETURN ? result.end[i] - 1 : result.end[i];
				const line = Buffer.allocUnsafe(end - result.start[i] + 1);
				chunk.copy(line, 0, result.start[i], end);
				line[line.length - 1] = NEWLINE;
				run.reset(line, 0, line.length, i, plainRow);
			}
		}
		const pending = importer.storePlainRows(run, file);
		if (pending) await pending;
		i += run.count;
		plainRow += run.count;
	}
}

export interface ParallelOptions {
	/** JSONL files from this size on use worker threads; starting them costs more than a small file takes. */
	minBytes: number;
	workers: number;
	/** Bytes per read, and so roughly per chunk. */
	readBytes: number;
}

export const DEFAULT_PARALLEL_OPTIONS: ParallelOptions = { minBytes: 32 * 1024 ** 2, workers: defaultChunkWorkers(), readBytes: 1 << 19 };

export async function importJsonlInParallel(
	path: string,
	file: FileContext,
	importer: RowImporter,
	limits: ChunkLimits,
	options: ParallelOptions,
	onBytes?: ByteCounter,
	signal?: AbortSignal
): Promise<void> {
	const chunks = new JsonlChunks(path, limits, options.workers, options.readBytes, onBytes);
	for await (const piece of chunks.pieces()) {
		signal?.throwIfAborted();
		if (piece.kind === 'chunk') {
			await importChunk(piece.result, piece.firstLine, file, importer, limits);
			chunks.release(piece.result.chunk);
			continue;
		}
		const record = recordOfLine({ lineNumber: piece.line, text: null, bytes: null, byteLength: piece.byteLength }, limits);
		const pending = record ? importer.handle(record, file) : undefined;
		if (pending) await pending;
	}
}
