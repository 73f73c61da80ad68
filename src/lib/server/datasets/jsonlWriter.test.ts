import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlWriter } from './jsonlWriter';
import { withTempDir } from './testFixtures';

describe('JsonlWriter', () => {
	it('keeps lines whole and in order across block boundaries, including lines longer than a block', async () => {
		await withTempDir(async (dir) => {
			const writer = new JsonlWriter(path.join(dir, 'out.jsonl'));
			const expected: string[] = [];
			for (let i = 0; i < 3000; i++) {
				const value = { i, text: 'ü中'.repeat(i % 7 === 0 ? 150_000 : i % 50) };
				const json = JSON.stringify(value);
				expected.push(json);
				const waiting = i % 3 === 0 ? writer.writeJsonBytes(Buffer.from(json)) : writer.write(value);
				if (waiting) await waiting;
			}
			await writer.close();
			expect(writer.count).toBe(3000);
			const lines = (await readFile(writer.path, 'utf8')).split('\n');
			expect(lines.pop()).toBe('');
			expect(lines).toEqual(expected);
		});
	});
});
