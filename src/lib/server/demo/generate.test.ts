import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAudio } from '../media/audio';
import { loadImageTensor } from '../media/image';
import { loadVideoFrames } from '../media/video';
import { generateDemoDataset, type DemoDatasetOptions } from './generate';
import { demoQuestionTypeOf, describeDemoQuestionTypes } from '../../shared/demo/questionTypes';

interface Row {
	messages: { role: string; content: string }[];
	images?: string[];
	audios?: string[];
	videos?: string[];
}

let root: string;
const small: Omit<DemoDatasetOptions, 'outDir'> = { seed: 7, images: 60, audios: 24, videos: 8, valFraction: 0.25 };

async function readRows(file: string): Promise<Row[]> {
	const text = await readFile(file, 'utf8');
	return text
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Row);
}

/** Every file under dir, relative path -> bytes. */
async function snapshot(dir: string): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const full = path.join(entry.parentPath, entry.name);
		files.set(path.relative(dir, full), await readFile(full));
	}
	return files;
}

beforeAll(async () => {
	root = await mkdtemp(path.join(os.tmpdir(), 'demo-data-'));
	await generateDemoDataset({ ...small, outDir: path.join(root, 'a') });
});
afterAll(async () => {
	await rm(root, { recursive: true, force: true });
});

describe('generateDemoDataset', () => {
	it('gives the same bytes for the same seed and different bytes for another seed', async () => {
		await generateDemoDataset({ ...small, outDir: path.join(root, 'b') });
		const a = await snapshot(path.join(root, 'a'));
		const b = await snapshot(path.join(root, 'b'));
		expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
		for (const [name, bytes] of a) expect(bytes.equals(b.get(name) as Buffer), name).toBe(true);
		await generateDemoDataset({ ...small, seed: 8, outDir: path.join(root, 'c') });
		const c = await snapshot(path.join(root, 'c'));
		expect(c.get('train.jsonl')?.equals(a.get('train.jsonl') as Buffer)).toBe(false);
	});

	it('writes ms-swift rows whose tags match their media lists, with every file present', async () => {
		const dir = path.join(root, 'a');
		const rows = [...(await readRows(path.join(dir, 'train.jsonl'))), ...(await readRows(path.join(dir, 'val.jsonl')))];
		const media = (key: 'images' | 'audios' | 'videos') => new Set(rows.flatMap((r) => r[key] ?? []));
		expect([media('images').size, media('audios').size, media('videos').size]).toEqual([60, 24, 8]);
		// Every clip answers both of its questions, every video its shape and some their direction,
		// every picture at least one.
		const typeCount = (type: string) => rows.filter((r) => demoQuestionTypeOf(r.messages[0].content) === type).length;
		expect(rows.filter((r) => r.audios).length).toBe(2 * 24);
		expect(typeCount('video_shape')).toBe(8);
		expect(typeCount('video_direction')).toBeGreaterThan(0);
		expect(typeCount('video_direction')).toBeLessThan(8);
		expect(rows.filter((r) => r.images).length).toBeGreaterThan(60);
		for (const row of rows) {
			const [user, assistant] = row.messages;
			expect(user.role).toBe('user');
			expect(assistant.role).toBe('assistant');
			for (const [tag, list] of [['<image>', row.images], ['<audio>', row.audios], ['<video>', row.videos]] as const) {
				expect(user.content.split(tag).length - 1).toBe(list?.length ?? 0);
				for (const file of list ?? []) expect(existsSync(path.join(dir, file)), file).toBe(true);
			}
			expect(assistant.content).toMatch(/^[a-z0-9]+$/);
		}
	});

	it('keeps train and val disjoint in media, and so in (media, question) pairs', async () => {
		const dir = path.join(root, 'a');
		const media = (rows: Row[]) => new Set(rows.flatMap((r) => [...(r.images ?? []), ...(r.audios ?? []), ...(r.videos ?? [])]));
		const train = await readRows(path.join(dir, 'train.jsonl'));
		const val = await readRows(path.join(dir, 'val.jsonl'));
		expect(val.length).toBeGreaterThan(0);
		const trainMedia = media(train);
		for (const file of media(val)) expect(trainMedia.has(file), file).toBe(false);
		// Files are named by content hash order, so equal names mean equal content: check bytes too.
		const hashes = async (files: Set<string>) => new Set(await Promise.all([...files].map(async (f) => (await readFile(path.join(dir, f))).toString('base64'))));
		const trainBytes = await hashes(trainMedia);
		for (const bytes of await hashes(media(val))) expect(trainBytes.has(bytes)).toBe(false);
	});

	it('asks only known question types with answers from each type', async () => {
		const types = new Map(describeDemoQuestionTypes().map((t) => [t.id, t]));
		const rows = await readRows(path.join(root, 'a', 'train.jsonl'));
		for (const row of rows) {
			const type = demoQuestionTypeOf(row.messages[0].content);
			expect(type, row.messages[0].content).not.toBeNull();
			expect(types.get(type as string)?.answers).toContain(row.messages[1].content);
		}
	});

	it('produces media the preprocessing path decodes', async () => {
		const dir = path.join(root, 'a');
		const rows = await readRows(path.join(dir, 'train.jsonl'));
		const first = (key: 'images' | 'audios' | 'videos') => path.join(dir, rows.find((r) => r[key])?.[key]?.[0] as string);
		expect((await loadImageTensor(first('images'), { size: 32 })).data.length).toBe(3 * 32 * 32);
		expect((await loadAudio(first('audios'))).length).toBe(24000);
		const video = await loadVideoFrames(first('videos'), { frames: 4, size: 32 });
		expect(video.sourceFrameCount).toBe(8);
	});
});
