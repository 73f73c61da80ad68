import type { DatasetSplit } from '../../shared/dataset';

/**
 * The train/validation split as a rule rather than a list: row i goes to validation when a seeded hash of
 * i falls below the ratio. Any reader of `data.jsonl` (the engine, an export to ms-swift) can apply it row
 * by row and get the same split, with nothing extra stored.
 */

/** A 32-bit integer hash (the finaliser of MurmurHash3) mixing the seed and the row index. */
function mix(seed: number, index: number): number {
	let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
	h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

export function isValidationRow(index: number, split: DatasetSplit): boolean {
	if (split.ratio <= 0) return false;
	if (split.ratio >= 1) return true;
	return mix(split.seed, index) / 0x1_0000_0000 < split.ratio;
}

/** The validation row indices among the first `rowCount` rows. */
export function validationRowIndices(rowCount: number, split: DatasetSplit): number[] {
	const indices: number[] = [];
	for (let i = 0; i < rowCount; i++) if (isValidationRow(i, split)) indices.push(i);
	return indices;
}
