import { describe, expect, it } from 'vitest';
import { splitLines, type TextLine } from './lineSplitter';
import { chunked } from './testFixtures';

async function collect(data: Buffer, chunkSize: number, maxLineBytes = 1 << 20): Promise<TextLine[]> {
	const lines: TextLine[] = [];
	for await (const batch of splitLines(chunked(data, chunkSize), maxLineBytes)) lines.push(...batch);
	return lines;
}

describe('splitLines', () => {
	it('gives the same lines at every chunk size, with CRLF and a BOM removed', async () => {
		const data = Buffer.from('\ufeffalpha\r\nbeta\n\ngamma ünïcode 中文\nlast', 'utf8');
		for (const size of [1, 2, 3, 5, 7, 64]) {
			const lines = await collect(data, size);
			expect(lines.map((l) => l.text)).toEqual(['alpha', 'beta', '', 'gamma ünïcode 中文', 'last']);
			expect(lines.map((l) => l.lineNumber)).toEqual([1, 2, 3, 4, 5]);
		}
	});

	it('streams a very long line that spans many chunks', async () => {
		const long = 'x'.repeat(5_000_000);
		const lines = await collect(Buffer.from(`short\n${long}\nafter\n`), 64 * 1024, 10_000_000);
		expect(lines).toHaveLength(3);
		expect(lines[1].text?.length).toBe(5_000_000);
		expect(lines[2]).toMatchObject({ lineNumber: 3, text: 'after' });
	});

	it('drops a line over the limit but keeps counting lines after it', async () => {
		const lines = await collect(Buffer.from(`ok\n${'y'.repeat(300)}\nok again`), 16, 100);
		expect(lines.map((l) => l.text)).toEqual(['ok', null, 'ok again']);
		expect(lines[1].byteLength).toBe(300);
	});
});
