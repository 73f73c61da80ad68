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

interface Placed {
	shape: ShapeName;
	colour: ColourName;
}

function singleShapeItem(rng: Rng): DemoItem {
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
		[QUESTION_TEXT.imagePosition, position],
		[QUESTION_TEXT.imageCount, '1']
	];
	// Counting a lone shape is trivial, so it is asked less often than the other three.
	const [question, answer] = rng.next() < 0.1 ? questions[3] : rng.pick(questions.slice(0, 3));
	return { modality: 'image', key: mediaKey(bytes), question, answer, bytes };
}

function multiShapeItem(rng: Rng): DemoItem {
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
	const unique = placed.filter((p) => placed.filter((q) => q.shape === p.shape).length === 1);
	const askColour = unique.length > 0 && rng.next() < 0.5;
	const [question, answer] = askColour
		? ((target) => [QUESTION_TEXT.imageColourOf(target.shape), target.colour])(rng.pick(unique))
		: [QUESTION_TEXT.imageCount, String(count)];
	return { modality: 'image', key: mediaKey(bytes), question, answer, bytes };
}

/** A 64x64 scene of one shape at a named position, or 2-4 shapes on a 3x3 grid. */
export function imageItem(rng: Rng): DemoItem {
	return rng.next() < 0.6 ? singleShapeItem(rng) : multiShapeItem(rng);
}
