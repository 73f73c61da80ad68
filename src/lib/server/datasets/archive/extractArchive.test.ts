import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { buildZip, PNG_BYTES, withTempDir } from '../testFixtures';
import { archiveKindOf, extractArchive } from './extractArchive';

async function buildTar(entries: { name: string; data?: Buffer; type?: 'file' | 'symlink'; linkname?: string }[]): Promise<Buffer> {
	const pack = tarStream.pack();
	const chunks: Buffer[] = [];
	const done = (async () => {
		for await (const chunk of pack) chunks.push(chunk as Buffer);
	})();
	for (const entry of entries) {
		await new Promise<void>((resolve, reject) => {
			pack.entry({ name: entry.name, type: entry.type ?? 'file', linkname: entry.linkname }, entry.data ?? Buffer.alloc(0), (error) =>
				error ? reject(error) : resolve()
			);
		});
	}
	pack.finalize();
	await done;
	return Buffer.concat(chunks);
}

async function listTree(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries
		.filter((e) => e.isFile() || e.isSymbolicLink())
		.map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
		.sort();
}

describe('archiveKindOf', () => {
	it('knows zip, tar and tar.gz by name', () => {
		expect(['a.zip', 'a.tar', 'a.tar.gz', 'a.TGZ', 'a.jsonl'].map(archiveKindOf)).toEqual(['zip', 'tar', 'tar.gz', 'tar.gz', null]);
	});
});

describe('extractArchive', () => {
	it('extracts a zip and refuses zip-slip, absolute names and symbolic links one by one', async () => {
		await withTempDir(async (dir) => {
			const zipPath = path.join(dir, 'media.zip');
			await writeFile(
				zipPath,
				buildZip([
					{ name: 'images/' },
					{ name: 'images/cat.png', data: PNG_BYTES },
					{ name: '../../evil.png', data: PNG_BYTES },
					{ name: '/etc/evil.png', data: PNG_BYTES },
					{ name: 'link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }
				])
			);
			const destination = path.join(dir, 'out');
			const result = await extractArchive(zipPath, 'media.zip', 'zip', destination);
			expect(await listTree(destination)).toEqual(['images/cat.png']);
			expect(await readFile(path.join(destination, 'images/cat.png'))).toEqual(PNG_BYTES);
			expect(result.errors.map((e) => [e.kind, e.field])).toEqual([
				['archive_rejected', '../../evil.png'],
				['archive_rejected', '/etc/evil.png'],
				['archive_rejected', 'link.png']
			]);
			expect(await listTree(dir)).not.toContain('evil.png');
		});
	});

	it('stops at the entry-count and size limits', async () => {
		await withTempDir(async (dir) => {
			const zipPath = path.join(dir, 'many.zip');
			await writeFile(zipPath, buildZip([1, 2, 3].map((i) => ({ name: `f${i}.png`, data: PNG_BYTES }))));
			const tooMany = await extractArchive(zipPath, 'many.zip', 'zip', path.join(dir, 'a'), { maxEntries: 2, maxTotalBytes: 1e9, maxEntryBytes: 1e9, maxExpansionRatio: 1e6 });
			expect(tooMany.errors[0].message).toMatch(/more than 2 entries/);
			const tooBig = await extractArchive(zipPath, 'many.zip', 'zip', path.join(dir, 'b'), { maxEntries: 10, maxTotalBytes: 50, maxEntryBytes: 1e9, maxExpansionRatio: 1e6 });
			expect(tooBig.errors[0].message).toMatch(/more than 50 bytes/);
		});
	});

	it('stops a zip bomb at the entry that passes the expansion ratio', async () => {
		await withTempDir(async (dir) => {
			const zipPath = path.join(dir, 'bomb.zip');
			const zeros = Buffer.alloc(64 * 1024 * 1024);
			await writeFile(zipPath, buildZip([{ name: 'small.png', data: PNG_BYTES }, { name: 'zeros.bin', data: zeros, deflate: true }]));
			const limits = { maxEntries: 10, maxTotalBytes: 1e12, maxEntryBytes: 1e12, maxExpansionRatio: 100 };
			const result = await extractArchive(zipPath, 'bomb.zip', 'zip', path.join(dir, 'out'), limits);
			expect(result.errors).toHaveLength(1);
			expect(result.errors[0].message).toMatch(/"zeros\.bin".*over 100 times its own size/);
			expect(result.bytes).toBeLessThan(10 * 1024 * 1024);
		});
	});

	it('reports a corrupt archive instead of throwing', async () => {
		await withTempDir(async (dir) => {
			const zipPath = path.join(dir, 'broken.zip');
			await writeFile(zipPath, 'not a zip at all');
			const result = await extractArchive(zipPath, 'broken.zip', 'zip', path.join(dir, 'out'));
			expect(result.errors[0]).toMatchObject({ kind: 'archive_rejected', file: 'broken.zip', line: null });
		});
	});

	it('extracts tar and tar.gz, refusing links and escapes', async () => {
		await withTempDir(async (dir) => {
			const tar = await buildTar([
				{ name: 'images/cat.png', data: PNG_BYTES },
				{ name: '../escape.png', data: PNG_BYTES },
				{ name: 'link.png', type: 'symlink', linkname: '/etc/passwd' },
				{ name: 'data/train.jsonl', data: Buffer.from('{}\n') }
			]);
			for (const [name, bytes, kind] of [
				['m.tar', tar, 'tar'],
				['m.tar.gz', gzipSync(tar), 'tar.gz']
			] as const) {
				const archive = path.join(dir, name);
				await writeFile(archive, bytes);
				const destination = path.join(dir, `out-${kind}`);
				const result = await extractArchive(archive, name, kind, destination);
				expect(await listTree(destination)).toEqual(['data/train.jsonl', 'images/cat.png']);
				expect(result.errors.map((e) => e.field)).toEqual(['../escape.png', 'link.png']);
			}
		});
	});
});
