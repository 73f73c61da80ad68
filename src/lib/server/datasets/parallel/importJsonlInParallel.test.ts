import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../importDataset';
import { PNG_BYTES, withTempDir } from '../testFixtures';

describe('importing JSONL on worker threads', () => {
	it('gives exactly the rows, errors and statistics of the single-threaded import', async () => {
		await withTempDir(async (dir) => {
			const lines: string[] = [];
			for (let i = 0; i < 3000; i++) {
				if (i % 500 === 7) lines.push('{not json');
				else if (i % 700 === 3) lines.push(JSON.stringify({ query: 'only a question' }));
				else if (i % 900 === 5) lines.push(JSON.stringify({ messages: [{ role: 'user', content: '<image>x' }, { role: 'assistant', content: 'y' }], images: ['p.png'] }));
				else if (i % 2 === 0) lines.push(JSON.stringify({ messages: [{ role: 'user', content: `q${i}` }, { role: 'assistant', content: 'a'.repeat(i % 97) }] }));
				else lines.push(JSON.stringify({ instruction: `do ${i}`, output: 'done' }));
				if (i % 400 === 0) lines.push('');
			}
			const dataPath = path.join(dir, 'big.jsonl');
			await writeFile(dataPath, lines.join('\n') + '\n');
			const imagePath = path.join(dir, 'p.png');
			await writeFile(imagePath, PNG_BYTES);
			const sources = [
				{ path: dataPath, name: 'big.jsonl' },
				{ path: imagePath, name: 'p.png' }
			];
			const dataDir = path.join(dir, 'data');
			const single = await importDataset(sources, { dataDir, datasetId: 'single', skipInvalid: true, readerThreads: 1 });
			const parallel = await importDataset(sources, { dataDir, datasetId: 'parallel', skipInvalid: true, readerThreads: 3, parallelMinBytes: 0 });

			expect(parallel.summary).toEqual({ ...single.summary, id: 'parallel' });
			expect(parallel.stats).toEqual(single.stats);
			expect(parallel.errors).toEqual(single.errors);
			expect(single.summary.errorCount).toBeGreaterThan(0);
			const read = (id: string) => readFile(path.join(dataDir, 'datasets', id, 'data.jsonl'), 'utf8');
			expect(await read('parallel')).toBe(await read('single'));
		});
	});
});
