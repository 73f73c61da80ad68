import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDemoDataset } from '../../src/lib/server/demo/generate';
import { seedDataset } from './seedDataset';

/**
 * A tiny demo set stored as `demo` and `demo-val`, the ids the demo preset trains on, so a test can
 * start the demo model in seconds instead of generating the full demo at first start.
 */
export async function seedTinyDemo(dataDir: string): Promise<void> {
	const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-demo-'));
	await generateDemoDataset({ outDir: demoDir, images: 24, audios: 12, videos: 8, valFraction: 0.25 });
	for (const [id, file] of [['demo', 'train.jsonl'], ['demo-val', 'val.jsonl']]) {
		// Stored datasets keep their media beside data.jsonl, as an import leaves them.
		const dir = path.join(dataDir, 'datasets', id);
		fs.mkdirSync(dir, { recursive: true });
		fs.cpSync(path.join(demoDir, 'media'), path.join(dir, 'media'), { recursive: true });
		const rows = fs.readFileSync(path.join(demoDir, file), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
		seedDataset(dataDir, id, rows);
	}
	fs.rmSync(demoDir, { recursive: true, force: true });
}
