import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { SeededRandom } from '../../src/lib/engine/data/seededRandom';
import type { TrainRow } from '../../src/lib/engine/train/index';

/** The rows of a stored dataset's `data.jsonl` (already validated when it was imported). */
export async function readDatasetRows(file: string): Promise<TrainRow[]> {
	const rows: TrainRow[] = [];
	const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
	for await (const line of lines) {
		if (line.trim()) rows.push(JSON.parse(line) as TrainRow);
	}
	return rows;
}

/**
 * Holds out `ratio` of the rows for evaluation, chosen by the seed, as ms-swift's
 * `--split_dataset_ratio` does. The same seed always holds out the same rows, so a resumed run
 * evaluates on the same split.
 */
export function splitRows<T>(rows: readonly T[], ratio: number, seed: number): { train: T[]; val: T[] } {
	if (ratio <= 0 || rows.length < 2) return { train: [...rows], val: [] };
	const order = rows.map((_, i) => i);
	new SeededRandom(seed, 7).shuffle(order);
	const valCount = Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * ratio)));
	const held = new Set(order.slice(0, valCount));
	return { train: rows.filter((_, i) => !held.has(i)), val: rows.filter((_, i) => held.has(i)) };
}

const MEDIA_LISTS = ['images', 'audios', 'videos'] as const;

/**
 * Rows with their media paths made absolute against the folder of the file they came from. A run's
 * training and validation rows come from two dataset folders, each with its own media/, and the
 * engine resolves relative paths against one folder only.
 */
export function withAbsoluteMedia(rows: readonly TrainRow[], dir: string): TrainRow[] {
	return rows.map((row) => {
		const out: TrainRow = { ...row };
		for (const list of MEDIA_LISTS) {
			const entries = row[list];
			if (Array.isArray(entries)) out[list] = entries.map((entry: unknown) => (typeof entry === 'string' && !/^(https?:|data:)/.test(entry) ? path.resolve(dir, entry) : entry)) as string[];
		}
		return out;
	});
}

/** A dataset file's rows, media paths made absolute (see withAbsoluteMedia). */
export async function readRunRows(file: string): Promise<TrainRow[]> {
	return withAbsoluteMedia(await readDatasetRows(file), path.dirname(file));
}
