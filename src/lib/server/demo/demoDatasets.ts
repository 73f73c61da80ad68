import fs from 'node:fs';
import path from 'node:path';
import type { DatasetsRepository } from '../db/datasets';
import { importDataset } from '../datasets/importDataset';
import { generateDemoDataset } from './generate';

/** The demo's training and held-out sets, as they appear on the Datasets page. */
export const demoDatasets = [
	{ id: 'demo', file: 'train.jsonl', name: 'Demo: shapes, beeps and motion (train)' },
	{ id: 'demo-val', file: 'val.jsonl', name: 'Demo: shapes, beeps and motion (held out)' }
] as const;

/**
 * Makes sure the demo datasets exist: generates the deterministic demo files when missing, then
 * imports them like any upload, so a fresh install has something to train on at once.
 */
export async function ensureDemoDatasets(dataDir: string, datasets: DatasetsRepository, log: (line: string) => void = console.log): Promise<void> {
	const missing = demoDatasets.filter((d) => !datasets.get(d.id));
	if (missing.length === 0) return;
	const sourceDir = path.join(dataDir, 'demo');
	if (!missing.every((d) => fs.existsSync(path.join(sourceDir, d.file)))) {
		log('Generating the demo dataset…');
		await generateDemoDataset({ outDir: sourceDir });
	}
	for (const demo of missing) {
		const result = await importDataset([{ path: path.join(sourceDir, demo.file), name: demo.file }], {
			dataDir,
			datasetId: demo.id,
			skipInvalid: false,
			mediaRoot: sourceDir,
			maxLength: 128
		});
		if (!result.summary.imported) {
			throw new Error(`The demo dataset ${demo.file} did not import: ${result.errors[0]?.message ?? 'unknown error'}`);
		}
		datasets.insert({
			id: demo.id,
			name: demo.name,
			ownerId: null,
			format: result.summary.files[0]?.format ?? 'messages',
			rowCount: result.summary.rowsStored,
			errorCount: result.summary.errorCount,
			stats: result.stats,
			createdAt: Date.now()
		});
		log(`Demo dataset "${demo.id}" ready: ${result.summary.rowsStored} rows, ${result.summary.mediaFiles} media files.`);
	}
}
