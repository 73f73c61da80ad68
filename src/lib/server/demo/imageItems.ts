import { createCanvas } from './canvas';
import { mediaKey, type DemoItem } from './demoItem';
import { encodePng } from './png';
import { QUESTION_TEXT } from './questionTypes';
import type { Rng } from './rng';
import { drawShape } from './shapes';
import { BACKGROUND, COLOUR_NAMES, COLOURS, SHAPES, type ColourName, type PositionName, type ShapeName } from './vocabulary';

export const IMAGE_SIZE = 64;

const POSITION_CENTRES: Record<PositionName, [number, number]> = {
	center: [32, 32],
	left: [14, 32],
	right: [50, 32],
	top: [32, 14],
	bottom: [32, 50]
};

/** Centres of a 3x3 grid, for scenes with several shapes. */
const GRID = [11, 32, 53];

/** Colour questions per multi-shape scene, so they do not outnumber the other types. */
const MAX_COLOUR_QUESTIONS = 2;

interface Placed {
	shape: ShapeName;
	colour: ColourName;
}

function singleShapeItems(rng: Rng): DemoItem[] {
	const shape = rng.pick(SHAPES);
	const colour = rng.pick(COLOUR_NAMES);
	const position = rng.pick(Object.keys(POSITION_CENTRES) as PositionName[]);
	const [cx, cy] = POSITION_CENTRES[position];
	const canvas = createCanvas(IMAGE_SIZE, IMAGE_SIZE, BACKGROUND);
	drawShape(canvas, shape, cx + rng.int(-2, 2), cy + rng.int(-2, 2), rng.int(9, 11), COLOURS[colour]);
	const bytes = encodePng(canvas);
	const questions: [string, string][] = [
		[QUESTION_TEXT.imageShape, shape],
		[QUESTION_TEXT.imageColour, colour],
		[QUESTION_TEXT.imagePosition, position]
	];
	// Counting a lone shape is trivial, so it is asked of a few pictures only.
	if (rng.next() < 0.2) questions.push([QUESTION_TEXT.imageCount, '1']);
	return imageQuestions(bytes, questions);
}

function multiShapeItems(rng: Rng): DemoItem[] {
	const count = rng.int(2, 4);
	const cells = rng.sample(
		GRID.flatMap((y) => GRID.map((x) => [x, y] as const)),
		count
	);
	const canvas = createCanvas(IMAGE_SIZE, IMAGE_SIZE, BACKGROUND);
	const placed: Placed[] = cells.map(([cx, cy]) => {
		const item = { shape: rng.pick(SHAPES), colour: rng.pick(COLOUR_NAMES) };
		drawShape(canvas, item.shape, cx + rng.int(-1, 1), cy + rng.int(-1, 1), rng.int(7, 8), COLOURS[item.colour]);
		return item;
	});
	const bytes = encodePng(canvas);
	// Only a shape that appears once has a well-defined colour to ask about.
	const unique = placed.filter((p) => placed.filter((q) => q.shape === p.shape).length === 1);
	const asked = rng.sample(unique, Math.min(unique.length, MAX_COLOUR_QUESTIONS));
	return imageQuestions(bytes, [[QUESTION_TEXT.imageCount, String(count)], ...asked.map((p): [string, string] => [QUESTION_TEXT.imageColourOf(p.shape), p.colour])]);
}

function imageQuestions(bytes: Uint8Array, questions: [string, string][]): DemoItem[] {
	const key = mediaKey(bytes);
	return questions.map(([question, answer]) => ({ modality: 'image', key, question, answer, bytes }));
}

/**
 * A 64x64 scene of one shape at a named position, or 2-4 shapes on a 3x3 grid, with every question
 * the scene answers: one rendering teaches several things.
 */
export function imageItems(rng: Rng): DemoItem[] {
	return rng.next() < 0.6 ? singleShapeItems(rng) : multiShapeItems(rng);
}
