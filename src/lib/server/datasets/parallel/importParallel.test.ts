import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DatasetPurpose } from '../../../shared/dataset';
import { importDataset, type ImportSource } from '../importDataset';
import { PNG_BYTES, withTempDir } from '../testFixtures';

/**
 * The parallel JSONL path must give exactly what the sequential one gives: the same stored bytes, errors,
 * summary and statistics. Tiny reads force lines across chunk boundaries and chunks of every shape.
 */

const chat = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });

function trickyLines(): string[] {
	const lines = [
		'\uFEFF' + chat('first line with a byte order mark', 'ok'),
		chat('crlf line', 'ok') + '\r',
		'',
		'   ',
		'{"messages": [{"role": "user", "content": "python spacing"}, {"role": "assistant", "content": "ok"}]}',
		'{"messages":[{"role":"user","content":"escaped \\u00e9 and \\n"},{"role":"assistant","content":"ok"}]}',
		chat('unicode é 中文', 'ok'),
		'not json at all',
		'[1, 2, 3]',
		JSON.stringify({ instruction: 'Add', input: '1+1', output: '2' }),
		JSON.stringify({ conversation: [{ human: 'hey', assistant: 'yo' }] }),
		JSON.stringify({ messages: [{ role: 'user', content: '<image>What?' }, { role: 'assistant', content: 'A dot.' }], images: ['images/dot.png'] }),
		JSON.stringify({ messages: [{ role: 'user', content: '<image>Missing?' }, { role: 'assistant', content: 'Yes.' }], images: ['images/none.png'] }),
		chat('a very long line ' + 'x'.repeat(400), 'over the record limit'),
		chat('', 'empty question'),
		JSON.stringify({ messages: [{ role: 'assistant', content: 'starts wrong' }] }),
		// A raw tab inside a string is not valid JSON.
		'{"messages":[{"role":"user","content":"raw\ttab"},{"role":"assistant","content":"ok"}]}',
		chat('<image> tag without a file', 'mismatch')
	];
	for (let i = 0; i < 60; i++) lines.push(chat(`question ${i} ${'q'.repeat(i % 13)}`, `answer ${i}`));
	return lines;
}

async function upload(dir: string, name: string, content: string | Buffer): Promise<ImportSource> {
	const stored = path.join(dir, 'uploads', `${Math.random().toString(36).slice(2)}`);
	await mkdir(path.dirname(stored), { recursive: true });
	await writeFile(stored, content);
	return { path: stored, name };
}

async function importBoth(sources: ImportSource[], dataDir: string, purpose: DatasetPurpose, skipInvalid = true) {
	const common = { dataDir, skipInvalid, purpose, limits: { maxRecordBytes: 300 } };
	const sequential = await importDataset(sources, { ...common, datasetId: 'seq', parallel: { minBytes: Number.POSITIVE_INFINITY } });
	const parallel = await importDataset(sources, { ...common, datasetId: 'par', parallel: { minBytes: 0, workers: 2, readBytes: 64 } });
	const read = async (id: string, file: string) => readFile(path.join(dataDir, 'datasets', id, file), 'utf8').catch(() => null);
	for (const file of ['data.jsonl', 'errors.jsonl']) expect(await read('par', file), file).toEqual(await read('seq', file));
	const media = async (id: string) => readdir(path.join(dataDir, 'datasets', id, 'media')).catch(() => []);
	expect(await media('par')).toEqual(await media('seq'));
	expect({ ...parallel.summary, id: '' }).toEqual({ ...sequential.summary, id: '' });
	expect(parallel.errors).toEqual(sequential.errors);
	expect(parallel.stats).toEqual(sequential.stats);
	return sequential;
}

describe('importJsonlInParallel', () => {
	it('stores, reports and measures exactly as the sequential path', async () => {
		await withTempDir(async (dir) => {
			const body = trickyLines().join('\n');
			const sources = [await upload(dir, 'mixed.jsonl', body), await upload(dir, 'images/dot.png', PNG_BYTES)];
			const result = await importBoth(sources, path.join(dir, 'data'), 'auto');
			// The file really exercised both the shortcut and the full path.
			expect(result.summary.rowsStored).toBeGreaterThan(60);
			expect(result.summary.errorsByKind).toMatchObject({ bad_json: 3, line_too_long: 1, media_missing: 1, empty_content: 1, role_order: 1 });
		});
	});

	it('matches the sequential path for a file ending without a newline and for declared purposes', async () => {
		await withTempDir(async (dir) => {
			const lines = trickyLines().slice(20);
			const sources = [await upload(dir, 'rows.jsonl', lines.join('\n'))];
			for (const purpose of ['sft', 'dpo', 'kto'] as const) await importBoth(sources, path.join(dir, `data-${purpose}`), purpose);
		});
	});

	it('drops earlier plain rows once a row turns out to be preference data', async () => {
		await withTempDir(async (dir) => {
			const lines = trickyLines().slice(20);
			lines.splice(30, 0, JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'good' }], rejected_response: 'bad' }));
			const sources = [await upload(dir, 'dpo.jsonl', lines.join('\n') + '\n')];
			const result = await importBoth(sources, path.join(dir, 'data'), 'auto');
			expect(result.summary.purpose).toBe('dpo');
			expect(result.summary.rowsStored).toBe(1);
			await importBoth(sources, path.join(dir, 'strict'), 'auto', false);
		});
	});

	it('stops its workers and leaves nothing behind when cancelled midway', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const sources = [await upload(dir, 'big.jsonl', trickyLines().slice(20).join('\n').repeat(600))];
			const controller = new AbortController();
			const importing = importDataset(sources, {
				dataDir,
				datasetId: 'gone',
				skipInvalid: true,
				signal: controller.signal,
				parallel: { minBytes: 0, workers: 2, readBytes: 4096 },
				onProgress: (progress) => {
					if (progress.phase === 'reading' && progress.bytesProcessed > 0) controller.abort();
				}
			});
			await expect(importing).rejects.toThrow();
			expect(await readdir(path.join(dataDir, 'datasets'))).toEqual([]);
		});
	});
});
