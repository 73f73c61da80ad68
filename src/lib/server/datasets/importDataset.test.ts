import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardRowSchema, type ImportProgress, type StandardRow } from '../../shared/dataset';
import { importDataset, type ImportSource } from './importDataset';
import { buildZip, PNG_BYTES, wavBytes, withTempDir } from './testFixtures';

async function upload(dir: string, name: string, content: string | Buffer): Promise<ImportSource> {
	const stored = path.join(dir, 'uploads', `${Math.random().toString(36).slice(2)}`);
	await mkdir(path.dirname(stored), { recursive: true });
	await writeFile(stored, content);
	return { path: stored, name };
}

async function storedRows(dataDir: string, id: string): Promise<StandardRow[]> {
	const text = await readFile(path.join(dataDir, 'datasets', id, 'data.jsonl'), 'utf8');
	return text
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => standardRowSchema.parse(JSON.parse(line)));
}

const jsonl = (rows: unknown[]) => rows.map((row) => JSON.stringify(row)).join('\n') + '\n';

describe('importDataset', () => {
	it('imports every format, reports the format per file, and stores media content-addressed once', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const sources = [
				await upload(
					dir,
					'chat.jsonl',
					jsonl([
						{ messages: [{ role: 'user', content: '<image>What?' }, { role: 'assistant', content: 'A cat.' }], images: ['images/cat.png'] },
						{ messages: [{ role: 'user', content: '<image>Again?' }, { role: 'assistant', content: 'Same cat.' }], images: ['cat-copy.png'] },
						{ messages: [{ role: 'user', content: '<audio>Hear?' }, { role: 'assistant', content: 'Silence.' }], audios: [`data:audio/wav;base64,${wavBytes().toString('base64')}`] }
					])
				),
				await upload(dir, 'share.json', JSON.stringify([{ conversation: [{ human: 'hi', assistant: 'hello' }] }])),
				await upload(dir, 'alpaca.jsonl', jsonl([{ instruction: 'Add', input: '1+1', output: '2' }])),
				await upload(dir, 'qa.csv', 'question,answer\n"What, exactly?","This, exactly."\n'),
				await upload(dir, 'media.zip', buildZip([{ name: 'images/cat.png', data: PNG_BYTES }])),
				await upload(dir, 'cat-copy.png', PNG_BYTES)
			];
			const progress: ImportProgress[] = [];
			const { summary, errors, stats } = await importDataset(sources, {
				dataDir,
				datasetId: 'ds1',
				skipInvalid: false,
				onProgress: (p) => progress.push(p)
			});
			expect(errors).toEqual([]);
			expect(summary).toMatchObject({ imported: true, purpose: 'sft', rowsRead: 6, rowsStored: 6, rowsSkipped: 0, mediaFiles: 2, errorCount: 0 });
			expect(summary.files.map((f) => [f.file, f.format])).toEqual([
				['chat.jsonl', 'messages'],
				['share.json', 'sharegpt'],
				['alpaca.jsonl', 'alpaca'],
				['qa.csv', 'query_response']
			]);
			const rows = await storedRows(dataDir, 'ds1');
			expect(rows[0].images).toEqual(rows[1].images);
			expect(rows[0].images?.[0]).toMatch(/^media\/[0-9a-f]{64}\.png$/);
			expect(rows[2].audios?.[0]).toMatch(/^media\/[0-9a-f]{64}\.wav$/);
			expect(rows[5].messages[0]).toEqual({ role: 'user', content: 'What, exactly?' });
			const media = await readdir(path.join(dataDir, 'datasets', 'ds1', 'media'));
			expect(media.sort()).toHaveLength(2);
			expect(await readFile(path.join(dataDir, 'datasets', 'ds1', rows[0].images![0]))).toEqual(PNG_BYTES);
			expect(stats).toMatchObject({ rows: 6, turns: 6, media: { image: 2, audio: 1, video: 0 } });
			expect(progress.at(-1)?.phase).toBe('finishing');
			expect(await readdir(path.join(dataDir, 'datasets', 'ds1'))).not.toContain('.staging');
		});
	});

	it('reports every problem with file and line, and skips only the invalid rows when asked', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const root = path.join(dir, 'root');
			await mkdir(root, { recursive: true });
			await writeFile(path.join(dir, 'secret.png'), PNG_BYTES);
			await symlink(path.join(dir, 'secret.png'), path.join(root, 'linked.png'));
			const content = [
				JSON.stringify({ messages: [{ role: 'user', content: 'ok' }, { role: 'assistant', content: 'fine' }] }),
				'{broken',
				JSON.stringify({ text: 'no layout' }),
				JSON.stringify({ messages: [{ role: 'assistant', content: '' }], images: ['linked.png', '../x.png'] }),
				JSON.stringify({ query: 'q' })
			].join('\n');
			const source = await upload(dir, 'mixed.jsonl', content);
			const options = { dataDir, skipInvalid: true, mediaRoot: root };
			const { summary, errors } = await importDataset([source], { ...options, datasetId: 'ds2' });
			expect(summary).toMatchObject({ imported: true, rowsRead: 5, rowsStored: 1, rowsSkipped: 4 });
			expect(errors.map((e) => [e.line, e.kind, e.field])).toEqual([
				[2, 'bad_json', null],
				[3, 'unknown_format', null],
				[4, 'empty_content', 'messages[0].content'],
				[4, 'role_order', 'messages[0].role'],
				[4, 'media_tag_mismatch', 'images'],
				[4, 'path_escape', 'images[0]'],
				[4, 'path_escape', 'images[1]'],
				[5, 'no_assistant', 'messages']
			]);
			expect(errors.every((e) => e.file === 'mixed.jsonl')).toBe(true);
			const errorLines = (await readFile(path.join(dataDir, 'datasets', 'ds2', 'errors.jsonl'), 'utf8')).trim().split('\n');
			expect(errorLines).toHaveLength(errors.length);

			const refused = await importDataset([source], { ...options, datasetId: 'ds3', skipInvalid: false });
			expect(refused.summary).toMatchObject({ imported: false, rowsStored: 0, errorCount: 8 });
			expect(await readdir(path.join(dataDir, 'datasets', 'ds3'))).toEqual(['errors.jsonl']);
		});
	});

	it('treats the data as DPO once a row has a rejected answer, dropping earlier rows without one', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const turn = (content: string) => [{ role: 'user', content: 'q' }, { role: 'assistant', content }];
			const source = await upload(
				dir,
				'prefs.jsonl',
				jsonl([
					{ messages: turn('no rejected yet') },
					{ messages: turn('good'), rejected_response: 'bad' },
					{ messages: turn('missing after') },
					{ messages: turn('good 2'), rejected_response: 'bad 2' }
				])
			);
			const { summary, errors, stats } = await importDataset([source], { dataDir, datasetId: 'dpo', skipInvalid: true });
			expect(summary).toMatchObject({ purpose: 'dpo', rowsStored: 2 });
			expect(errors.map((e) => [e.line, e.kind]).sort()).toEqual([
				[1, 'dpo_missing_rejected'],
				[3, 'dpo_missing_rejected']
			]);
			expect((await storedRows(dataDir, 'dpo')).map((r) => r.rejected_response)).toEqual(['bad', 'bad 2']);
			expect(stats.rows).toBe(2);
			expect(stats.longestRows.map((r) => r.index).sort()).toEqual([0, 1]);
		});
	});

	it('checks KTO labels when declared', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const source = await upload(
				dir,
				'kto.jsonl',
				jsonl([
					{ query: 'q', response: 'r', label: true },
					{ query: 'q', response: 'r', label: 'sometimes' },
					{ query: 'q', response: 'r' }
				])
			);
			const { errors } = await importDataset([source], { dataDir, datasetId: 'kto', skipInvalid: true, purpose: 'kto' });
			expect(errors.map((e) => [e.line, e.kind, e.field])).toEqual([
				[2, 'dpo_missing_rejected', 'label'],
				[3, 'dpo_missing_rejected', 'label']
			]);
		});
	});

	it('finds the data file inside an uploaded archive and resolves media beside it', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const row = { messages: [{ role: 'user', content: '<image>x' }, { role: 'assistant', content: 'y' }], images: ['pics/a.png'] };
			const archive = await upload(
				dir,
				'bundle.zip',
				buildZip([
					{ name: 'set/train.jsonl', data: Buffer.from(jsonl([row])) },
					{ name: 'set/pics/a.png', data: PNG_BYTES }
				])
			);
			const { summary, errors } = await importDataset([archive], { dataDir, datasetId: 'zipped', skipInvalid: false });
			expect(errors).toEqual([]);
			expect(summary.files.map((f) => f.file)).toEqual(['set/train.jsonl']);
			expect(summary.rowsStored).toBe(1);
		});
	});

	it('reports media that is missing, unreadable or of the wrong kind', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const row = (images: string[]) => ({
				messages: [{ role: 'user', content: '<image>'.repeat(images.length) + 'q' }, { role: 'assistant', content: 'a' }],
				images
			});
			const sources = [
				await upload(dir, 'm.jsonl', jsonl([row(['nope.png']), row(['empty.png']), row(['sound.wav']), row(['https://x.org/a.png'])])),
				await upload(dir, 'empty.png', ''),
				await upload(dir, 'sound.wav', wavBytes())
			];
			const { errors } = await importDataset(sources, { dataDir, datasetId: 'media', skipInvalid: true });
			expect(errors.map((e) => e.kind)).toEqual(['media_missing', 'media_unreadable', 'media_wrong_kind', 'path_escape']);
			expect(errors[3].message).toMatch(/offline/);
		});
	});

	it('cleans up after a cancelled import', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const source = await upload(dir, 'a.jsonl', jsonl([{ query: 'q', response: 'r' }]));
			const controller = new AbortController();
			controller.abort();
			await expect(importDataset([source], { dataDir, datasetId: 'gone', skipInvalid: true, signal: controller.signal })).rejects.toThrow();
			expect(await readdir(path.join(dataDir, 'datasets'))).toEqual([]);
		});
	});
});

describe('importDataset with unreadable or unsupported uploads', () => {
	it('reports a data file that cannot be read and imports the rest', async () => {
		await withTempDir(async (dir) => {
			const dataDir = path.join(dir, 'data');
			const good = await upload(dir, 'good.jsonl', jsonl([{ query: 'q', response: 'r' }]));
			// A folder where a file should be: stat works, reading fails.
			const folder = path.join(dir, 'uploads', 'a-folder');
			await mkdir(folder, { recursive: true });
			const missing = { path: path.join(dir, 'uploads', 'never-written'), name: 'missing.jsonl' };
			const { summary, errors } = await importDataset([good, { path: folder, name: 'folder.jsonl' }, missing], {
				dataDir,
				datasetId: 'partial',
				skipInvalid: true
			});
			expect(errors.map((e) => [e.file, e.kind]).sort()).toEqual([
				['folder.jsonl', 'file_unreadable'],
				['missing.jsonl', 'file_unreadable']
			]);
			expect(summary.rowsStored).toBe(1);
		});
	});

	it('says so when no data file was uploaded', async () => {
		await withTempDir(async (dir) => {
			const { summary, errors } = await importDataset([await upload(dir, 'cat.png', PNG_BYTES)], {
				dataDir: path.join(dir, 'data'),
				datasetId: 'nodata',
				skipInvalid: true
			});
			expect(errors[0]).toMatchObject({ kind: 'unsupported_file', file: 'cat.png' });
			expect(summary.rowsStored).toBe(0);
		});
	});
});
