import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StandardRow } from '../../../shared/dataset';
import { countTokens } from '../countTokens';
import { withTempDir } from '../testFixtures';
import { rowsOver, rowTokenCounts } from './tokenCounts';

describe('rowTokenCounts', () => {
	it('counts every row as countTokens does, whichever way it is measured, and keeps the counts', async () => {
		await withTempDir(async (dir) => {
			const rows: StandardRow[] = Array.from({ length: 100 }, (_, i) => ({
				messages: [
					{ role: 'user', content: `${i % 3 === 0 ? '<image>' : ''}question ${'q'.repeat(i)} ${i % 5 === 0 ? 'é' : ''}` },
					{ role: 'assistant', content: `answer\n${i}` }
				],
				...(i % 3 === 0 ? { images: [`media/${'0'.repeat(64)}.png`] } : {})
			}));
			const file = path.join(dir, 'data.jsonl');
			await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
			expect(Array.from(await rowTokenCounts(file))).toEqual(rows.map(countTokens));
			expect(existsSync(path.join(dir, 'data.tokens.u32'))).toBe(true);
			expect(Array.from(await rowTokenCounts(file))).toEqual(rows.map(countTokens));
			const limit = countTokens(rows[50]);
			expect(await rowsOver(file, limit)).toEqual({ rows: 100, over: rows.filter((row) => countTokens(row) > limit).length });
		});
	});
});
