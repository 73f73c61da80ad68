import { createReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetError, StandardRow } from '../../shared/dataset';
import { JsonlWriter } from './jsonlWriter';
import { splitLines } from './lineSplitter';
import { MediaStore } from './mediaStore';
import type { ResolvedMedia } from './mediaResolver';

/**
 * One dataset on disk: `<dataDir>/datasets/<id>/data.jsonl` (normalised rows), `media/` (content-addressed
 * files the rows point at as `media/<sha256>.<ext>`) and `errors.jsonl` (every problem found on import).
 */

export interface StoreCounts {
	rows: number;
	mediaFiles: number;
	mediaBytes: number;
	errors: number;
}

export interface DatasetPaths {
	dir: string;
	data: string;
	errors: string;
	media: string;
}

const DATASET_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function datasetPaths(dataDir: string, id: string): DatasetPaths {
	// The id becomes a folder name, so it is held to a safe alphabet.
	if (!DATASET_ID.test(id)) throw new Error(`Invalid dataset id "${id}"`);
	const dir = path.join(dataDir, 'datasets', id);
	return { dir, data: path.join(dir, 'data.jsonl'), errors: path.join(dir, 'errors.jsonl'), media: path.join(dir, 'media') };
}

export class DatasetStore {
	private readonly rows: JsonlWriter;
	private readonly errors: JsonlWriter;
	private readonly media: MediaStore;

	private constructor(
		readonly paths: DatasetPaths,
		existingRows?: number
	) {
		const append = existingRows === undefined ? undefined : { count: existingRows };
		this.rows = new JsonlWriter(paths.data, append);
		// Appending keeps the import's error records; only a new store starts them afresh.
		this.errors = new JsonlWriter(paths.errors, append && { count: 0 });
		this.media = new MediaStore(paths.media);
	}

	static async create(dataDir: string, id: string): Promise<DatasetStore> {
		const paths = datasetPaths(dataDir, id);
		await mkdir(paths.media, { recursive: true });
		return new DatasetStore(paths);
	}

	/**
	 * Opens a stored dataset to add rows after its `existingRows` (feedback saved from the chat). Media
	 * go into the same content-addressed folder, so a file the dataset already holds is not stored twice.
	 */
	static async append(dataDir: string, id: string, existingRows: number): Promise<DatasetStore> {
		const paths = datasetPaths(dataDir, id);
		await mkdir(paths.media, { recursive: true });
		return new DatasetStore(paths, existingRows);
	}

	/** Stores a media file (deduplicated) and returns the reference rows should carry. */
	storeMedia(media: ResolvedMedia): Promise<string> {
		return this.media.store(media);
	}

	/**
	 * Appends a row; returns its index, or a promise of it when the disk is behind. `json` is the row's
	 * own one-line JSON bytes when it is already in the stored form, which saves serialising it again.
	 */
	writeRow(row: StandardRow, json?: Buffer): number | Promise<number> {
		const index = this.rows.count;
		const waiting = json === undefined ? this.rows.write(row) : this.rows.writeJsonBytes(json);
		return waiting ? waiting.then(() => index) : index;
	}

	/** Appends `count` rows already in stored form, newline-terminated, from `bytes[start, end)`; returns the first one's index. */
	writeRowLines(bytes: Buffer, start: number, end: number, count: number): { index: number; waiting: Promise<void> | undefined } {
		const index = this.rows.count;
		return { index, waiting: this.rows.writeLines(bytes, start, end, count) };
	}

	writeError(error: DatasetError): Promise<void> | undefined {
		return this.errors.write(error);
	}

	async close(): Promise<StoreCounts> {
		await Promise.all([this.rows.close(), this.errors.close()]);
		return { rows: this.rows.count, mediaFiles: this.media.files, mediaBytes: this.media.bytes, errors: this.errors.count };
	}

	/** After close: drops the rows and media but keeps errors.jsonl, for an import that was refused. */
	async discardRows(): Promise<void> {
		await rm(this.paths.data, { force: true });
		await rm(this.paths.media, { recursive: true, force: true });
	}

	/**
	 * After close: rewrites data.jsonl keeping only the rows `keep` accepts, streaming. Returns the rows kept.
	 */
	async keepRows(keep: (row: StandardRow) => boolean): Promise<number> {
		const rewritten = new JsonlWriter(`${this.paths.data}.rewrite`);
		try {
			for await (const lines of splitLines(createReadStream(this.paths.data), Number.MAX_SAFE_INTEGER)) {
				for (const { text } of lines) {
					if (text === null || text === '') continue;
					const row = JSON.parse(text) as StandardRow;
					if (!keep(row)) continue;
					const waiting = rewritten.write(row);
					if (waiting) await waiting;
				}
			}
		} finally {
			await rewritten.close();
		}
		await rename(rewritten.path, this.paths.data);
		return rewritten.count;
	}
}

/** Streams a stored dataset's error records, e.g. for the CSV download. */
export async function* readStoredErrors(paths: DatasetPaths): AsyncGenerator<DatasetError> {
	for await (const lines of splitLines(createReadStream(paths.errors), Number.MAX_SAFE_INTEGER)) {
		for (const { text } of lines) if (text) yield JSON.parse(text) as DatasetError;
	}
}
