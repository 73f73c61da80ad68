import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyMediaRef } from './mediaRef';
import { MediaResolver } from './mediaResolver';
import { PNG_BYTES, wavBytes, withTempDir } from './testFixtures';

describe('classifyMediaRef', () => {
	it.each([
		['images/a.png', 'path'],
		['./images//a.png', 'path'],
		['/etc/passwd', 'refused'],
		['C:\\data\\a.png', 'refused'],
		['images/../../secret.png', 'refused'],
		['http://example.com/a.png', 'refused'],
		['https://example.com/a.png', 'refused'],
		['file:///etc/passwd', 'refused'],
		['data:image/png;base64,iVBORw0KGgo=', 'inline'],
		['data:text/plain,hello', 'refused']
	])('%s is %s', (ref, type) => {
		expect(classifyMediaRef(ref).type).toBe(type);
	});

	it('explains that web addresses are not fetched offline', () => {
		const ref = classifyMediaRef('https://example.com/a.png');
		expect(ref.type === 'refused' && ref.reason).toMatch(/offline/);
	});
});

describe('MediaResolver', () => {
	async function setUp(dir: string): Promise<MediaResolver> {
		const root = path.join(dir, 'root');
		await mkdir(path.join(root, 'images'), { recursive: true });
		await writeFile(path.join(root, 'images', 'cat.png'), PNG_BYTES);
		await writeFile(path.join(root, 'images', 'empty.png'), '');
		await writeFile(path.join(root, 'sound.wav'), wavBytes());
		await writeFile(path.join(root, 'notes.txt'), 'just text');
		await writeFile(path.join(dir, 'outside.png'), PNG_BYTES);
		await symlink(path.join(dir, 'outside.png'), path.join(root, 'images', 'escape.png'));
		await symlink(path.join(root, 'images', 'cat.png'), path.join(root, 'inside-link.png'));
		await symlink(path.join(root, 'gone.png'), path.join(root, 'dangling.png'));
		const loose = path.join(dir, 'upload-123');
		await writeFile(loose, PNG_BYTES);
		return new MediaResolver({
			looseFiles: new Map([['photos/dog.png', loose]]),
			folders: [{ base: root, boundary: root }],
			maxMediaBytes: 1024
		});
	}

	it('finds files inside the dataset, loose uploads and inline data', async () => {
		await withTempDir(async (dir) => {
			const resolver = await setUp(dir);
			const ok = async (ref: string, kind: 'image' | 'audio') => {
				const result = await resolver.resolve(ref, kind, 'images[0]');
				return result.ok ? result.media.sniffed.ext : result.problem.kind;
			};
			expect(await ok('images/cat.png', 'image')).toBe('png');
			expect(await ok('inside-link.png', 'image')).toBe('png');
			expect(await ok('sound.wav', 'audio')).toBe('wav');
			expect(await ok('photos/dog.png', 'image')).toBe('png');
			expect(await ok('dog.png', 'image')).toBe('png');
			expect(await ok('elsewhere/dog.png', 'image')).toBe('png');
			expect(await ok(`data:image/png;base64,${PNG_BYTES.toString('base64')}`, 'image')).toBe('png');
		});
	});

	it('names each problem: escape, symlink escape, missing, unreadable, wrong kind, URL', async () => {
		await withTempDir(async (dir) => {
			const resolver = await setUp(dir);
			const kindOf = async (ref: string, kind: 'image' | 'audio' = 'image') => {
				const result = await resolver.resolve(ref, kind, 'images[0]');
				return result.ok ? 'ok' : result.problem.kind;
			};
			expect(await kindOf('images/escape.png')).toBe('path_escape');
			expect(await kindOf('../outside.png')).toBe('path_escape');
			expect(await kindOf(path.join(dir, 'outside.png'))).toBe('path_escape');
			expect(await kindOf('https://example.com/cat.png')).toBe('path_escape');
			expect(await kindOf('images/nope.png')).toBe('media_missing');
			expect(await kindOf('dangling.png')).toBe('media_missing');
			expect(await kindOf('images/empty.png')).toBe('media_unreadable');
			expect(await kindOf('images')).toBe('media_unreadable');
			expect(await kindOf('notes.txt')).toBe('media_wrong_kind');
			expect(await kindOf('sound.wav', 'image')).toBe('media_wrong_kind');
			expect(await kindOf('images/cat.png', 'audio')).toBe('media_wrong_kind');
		});
	});

	it('says what the file actually is when the kind is wrong', async () => {
		await withTempDir(async (dir) => {
			const resolver = await setUp(dir);
			const result = await resolver.resolve('sound.wav', 'image', 'images[2]');
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.problem).toMatchObject({ field: 'images[2]', message: expect.stringContaining('WAV audio') });
		});
	});
});
