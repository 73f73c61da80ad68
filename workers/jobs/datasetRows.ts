import fs from 'node:fs';
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
