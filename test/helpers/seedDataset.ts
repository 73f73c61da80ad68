import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/lib/server/db/database';
import { DatasetsRepository } from '../../src/lib/server/db/datasets';

/** A small text SFT set: questions about numbers with short, learnable answers. */
export function arithmeticRows(count: number): unknown[] {
	return Array.from({ length: count }, (_, i) => {
		const a = i % 10;
		const b = (i * 7) % 10;
		return { messages: [{ role: 'user', content: `What is ${a} plus ${b}?` }, { role: 'assistant', content: String(a + b) }] };
	});
}

/** Puts a dataset straight into a data directory, before the server starts, as an import would leave it. */
export function seedDataset(dataDir: string, id: string, rows: unknown[]): void {
	const db = openDatabase(path.join(dataDir, 'swiftboard.db'));
	try {
		const dir = path.join(dataDir, 'datasets', id);
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
		new DatasetsRepository(db).insert({ id, name: id, ownerId: null, format: 'messages', rowCount: rows.length, errorCount: 0, stats: null, createdAt: Date.now() });
	} finally {
		db.close();
	}
}
