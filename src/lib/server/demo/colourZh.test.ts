import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateColourZhDataset } from './colourZh';
import { demoQuestionTypeOf, describeDemoQuestionTypes, scoreDemoAnswer } from '../../shared/demo/questionTypes';

interface Row {
	messages: { role: string; content: string }[];
	images: string[];
}

const root = await mkdtemp(path.join(os.tmpdir(), 'colour-zh-'));
afterAll(() => rm(root, { recursive: true, force: true }));

async function rows(dir: string, split: string): Promise<Row[]> {
	return (await readFile(path.join(dir, `${split}.jsonl`), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
}

describe('the Chinese-answer colour set', () => {
	it('asks colour questions answered in Chinese, the same for the same seed, with no picture in both splits', async () => {
		const a = path.join(root, 'a');
		expect(await generateColourZhDataset({ outDir: a, train: 30, val: 12 })).toMatchObject({ train: 30, val: 12 });
		const train = await rows(a, 'train');
		const val = await rows(a, 'val');
		expect(train).toHaveLength(30);
		expect(val).toHaveLength(12);
		const answers = new Set(describeDemoQuestionTypes('colour_zh')[0].answers);
		for (const row of [...train, ...val]) {
			expect(demoQuestionTypeOf(row.messages[0].content)).toBe('image_colour_zh');
			expect(answers.has(row.messages[1].content)).toBe(true);
		}
		const trainImages = new Set(train.map((r) => r.images[0]));
		expect(val.some((r) => trainImages.has(r.images[0]))).toBe(false);
		const b = path.join(root, 'b');
		await generateColourZhDataset({ outDir: b, train: 30, val: 12 });
		expect(await readFile(path.join(b, 'train.jsonl'), 'utf8')).toBe(await readFile(path.join(a, 'train.jsonl'), 'utf8'));
		expect((await readFile(path.join(b, train[0].images[0]))).equals(await readFile(path.join(a, train[0].images[0])))).toBe(true);
	});

	it('scores Chinese answers by their characters, not as empty strings', () => {
		expect(scoreDemoAnswer('红色', '红色。')).toBe(true);
		expect(scoreDemoAnswer('红色', '蓝色')).toBe(false);
		expect(scoreDemoAnswer('红色', 'red')).toBe(false);
		expect(describeDemoQuestionTypes().some((t) => t.id === 'image_colour_zh')).toBe(false);
	});
});
