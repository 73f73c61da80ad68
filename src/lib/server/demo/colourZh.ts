// A small deterministic set that asks the demo's picture colour questions and wants the answer in
// Chinese (红色, 蓝色, ...): what a LoRA on the trained demo-vlm learns in a minute, while the
// original questions, still asked in plain English, must keep their English answers. Pictures are
// drawn like the demo's (one shape at a named position, or 2-4 shapes in the quarters), each asked
// one question; held-out rows share no picture with training rows.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCanvas } from './canvas';
import { mediaKey, type DemoItem } from './demoItem';
import { nameMedia, toRow, writeMedia } from './generate';
import { IMAGE_SIZE, POSITION_CENTRES, QUARTER_CENTRES } from './imageItems';
import { encodePng } from './png';
import { QUESTION_TEXT } from '../../shared/demo/questionTypes';
import { createRng, type Rng } from './rng';
import { drawShape } from './shapes';
import { drawUnique } from './splitItems';
import { BACKGROUND, COLOUR_NAMES, COLOUR_NAMES_ZH, COLOURS, QUARTERS, SHAPES, type PositionName } from '../../shared/demo/vocabulary';

export interface ColourZhOptions {
	/** Written: train.jsonl, val.jsonl and media/ (replaced on every run). */
	outDir: string;
	seed?: number;
	/** Pictures (= rows) in each split. */
	train?: number;
	val?: number;
}

export const COLOUR_ZH_DEFAULTS = { seed: 42, train: 100, val: 60 } as const;

/** One picture and its one Chinese-answer colour question. */
export function colourZhItem(rng: Rng): DemoItem[] {
	const canvas = createCanvas(IMAGE_SIZE, IMAGE_SIZE, BACKGROUND);
	const jitter = () => rng.int(-2, 2);
	let question: string;
	let colour: (typeof COLOUR_NAMES)[number];
	if (rng.next() < 0.6) {
		colour = rng.pick(COLOUR_NAMES);
		const [cx, cy] = POSITION_CENTRES[rng.pick(Object.keys(POSITION_CENTRES) as PositionName[])];
		drawShape(canvas, rng.pick(SHAPES), cx + jitter(), cy + jitter(), rng.int(9, 11), COLOURS[colour]);
		question = QUESTION_TEXT.imageColourZh;
	} else {
		const quarters = rng.sample(QUARTERS, rng.int(2, 4));
		const colours = quarters.map(() => rng.pick(COLOUR_NAMES));
		quarters.forEach((quarter, i) => {
			const [cx, cy] = QUARTER_CENTRES[quarter];
			drawShape(canvas, rng.pick(SHAPES), cx + jitter(), cy + jitter(), rng.int(9, 11), COLOURS[colours[i]]);
		});
		const asked = rng.int(0, quarters.length - 1);
		colour = colours[asked];
		question = QUESTION_TEXT.imageColourAtZh(quarters[asked]);
	}
	const bytes = encodePng(canvas);
	return [{ modality: 'image', key: mediaKey(bytes), question, answer: COLOUR_NAMES_ZH[colour], bytes }];
}

/** Writes the Chinese-answer colour set in the ms-swift JSONL layout; the same seed gives the same bytes. */
export async function generateColourZhDataset(options: ColourZhOptions): Promise<{ outDir: string; train: number; val: number }> {
	const seed = options.seed ?? COLOUR_ZH_DEFAULTS.seed;
	const train = options.train ?? COLOUR_ZH_DEFAULTS.train;
	const val = options.val ?? COLOUR_ZH_DEFAULTS.val;
	// Its own stream, apart from the demo set's, so its pictures are new ones.
	const items = drawUnique(train + val, createRng((Math.imul(seed >>> 0, 0x85ebca6b) + 0x2c0) >>> 0), colourZhItem);
	// Pictures are distinct and each is asked one question, so the first `train` rows and the rest share none.
	const split = { train: items.slice(0, train), val: items.slice(train) };
	const media = nameMedia(items, 'colour-zh-');
	await rm(path.join(options.outDir, 'media'), { recursive: true, force: true });
	await mkdir(path.join(options.outDir, 'media'), { recursive: true });
	await writeMedia(options.outDir, media);
	for (const name of ['train', 'val'] as const) {
		const text = split[name].map((item) => toRow(item, media.get(item.key)?.name ?? '')).join('\n');
		await writeFile(path.join(options.outDir, `${name}.jsonl`), split[name].length ? `${text}\n` : '');
	}
	return { outDir: options.outDir, train: split.train.length, val: split.val.length };
}
