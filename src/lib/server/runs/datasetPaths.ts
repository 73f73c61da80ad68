import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database';
import type { ResolvedDataset } from './runService';

/**
 * Where a stored dataset's rows are, for a training job. The validation split is made by the trainer
 * from `split_dataset_ratio` and the seed, as ms-swift does, so only the rows file is needed here.
 */
export function resolveStoredDataset(db: Db, dataDir: string, datasetId: string): ResolvedDataset | null {
	if (!/^[A-Za-z0-9_-]+$/.test(datasetId)) return null;
	const row = db.prepare('SELECT id FROM datasets WHERE id = ?').get(datasetId);
	if (!row) return null;
	const trainPath = path.join(dataDir, 'datasets', datasetId, 'data.jsonl');
	return fs.existsSync(trainPath) ? { trainPath, valPath: null } : null;
}
