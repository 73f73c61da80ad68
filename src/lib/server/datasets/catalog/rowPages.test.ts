import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../testFixtures';
import { readRowPage } from './rowPages';

const row = (i: number) => ({ messages: [{ role: 'user', content: `question ${i}${i === 2500 ? ' needle' : ''}` }, { role: 'assistant', content: `answer ${i}` }] });

describe('readRowPage', () => {
	it('reads pages anywhere in the file through the row index, and searches the whole file', async () => {
		await withTempDir(async (dir) => {
			const file = path.join(dir, 'data.jsonl');
			const count = 3000;
			await writeFile(file, Array.from({ length: count }, (_, i) => JSON.stringify(row(i))).join('\n') + '\n');
			for (const offset of [0, 1023, 1024, 2047, 2999]) {
				const page = await readRowPage(file, offset, 3, count);
				expect(page.total).toBe(count);
				expect(page.rows.map((r) => r.index)).toEqual([offset, offset + 1, offset + 2].filter((i) => i < count));
				for (const entry of page.rows) expect(entry.row.messages[0].content).toMatch(new RegExp(`^question ${entry.index}\\b`));
			}
			expect(existsSync(path.join(dir, 'data.rows.idx'))).toBe(true);
			expect(await readRowPage(file, count, 10, count)).toEqual({ rows: [], total: count });
			const found = await readRowPage(file, 0, 10, count, 'NEEDLE');
			expect(found.total).toBe(1);
			expect(found.rows.map((r) => r.index)).toEqual([2500]);
		});
	});
});
