import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDatasetRows, splitRows, withAbsoluteMedia } from './datasetRows';

const dir = mkdtempSync(join(tmpdir(), 'swiftboard-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataset rows', () => {
	it('reads every non-blank line of data.jsonl', async () => {
		const file = join(dir, 'data.jsonl');
		writeFileSync(file, '{"messages":[{"role":"user","content":"a"}]}\n\n{"messages":[{"role":"user","content":"b"}]}\n');
		expect((await readDatasetRows(file)).map((r) => r.messages[0].content)).toEqual(['a', 'b']);
	});

	it('holds out the same rows for the same seed, at least one', () => {
		const rows = Array.from({ length: 40 }, (_, i) => i);
		const a = splitRows(rows, 0.1, 7);
		expect(a.val).toHaveLength(4);
		expect(splitRows(rows, 0.1, 7)).toEqual(a);
		expect([...a.train, ...a.val].sort((x, y) => x - y)).toEqual(rows);
		expect(splitRows(rows, 0.001, 7).val).toHaveLength(1);
		expect(splitRows(rows, 0, 7).val).toHaveLength(0);
	});

	it('makes media paths absolute against their own dataset folder, leaving URLs and absolute paths', () => {
		const [row] = withAbsoluteMedia([{ messages: [], images: ['media/a.png', '/abs/b.png', 'https://x/c.png'], videos: ['v.mp4'] }], '/data/datasets/d1');
		expect(row.images).toEqual(['/data/datasets/d1/media/a.png', '/abs/b.png', 'https://x/c.png']);
		expect(row.videos).toEqual(['/data/datasets/d1/v.mp4']);
		expect(row.audios).toBeUndefined();
	});
});
