import { createCanvas, type Canvas } from './canvas';
import { mediaKey, type DemoItem } from './demoItem';
import { QUESTION_TEXT } from './questionTypes';
import type { Rng } from './rng';
import { drawShape } from './shapes';
import { BACKGROUND, COLOUR_NAMES, COLOURS, DIRECTIONS, SHAPES, type DirectionName } from './vocabulary';

export const VIDEO_SIZE = 64;
export const VIDEO_FRAMES = 8;
export const VIDEO_FPS = 8;

const STEP: Record<DirectionName, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };
const TRAVEL = 28;

/** 8 frames of one shape sliding 28 px left, right, up or down across a 64x64 frame, asked about direction and shape. */
export function videoItems(rng: Rng): DemoItem[] {
	const shape = rng.pick(SHAPES);
	const colour = rng.pick(COLOUR_NAMES);
	const direction = rng.pick(DIRECTIONS);
	const radius = rng.int(8, 10);
	const [dx, dy] = STEP[direction];
	// Start so the whole path stays inside the frame: the moving axis runs 18 -> 46 (or back).
	const cross = rng.int(18, 46);
	const startX = dx === 0 ? cross : dx > 0 ? 18 : 46;
	const startY = dy === 0 ? cross : dy > 0 ? 18 : 46;
	const frames: Canvas[] = [];
	for (let f = 0; f < VIDEO_FRAMES; f++) {
		const t = (f * TRAVEL) / (VIDEO_FRAMES - 1);
		const canvas = createCanvas(VIDEO_SIZE, VIDEO_SIZE, BACKGROUND);
		drawShape(canvas, shape, startX + dx * t, startY + dy * t, radius, COLOURS[colour]);
		frames.push(canvas);
	}
	const key = mediaKey(...frames.map((f) => f.rgb));
	return [
		{ modality: 'video', key, question: QUESTION_TEXT.videoDirection, answer: direction, frames },
		{ modality: 'video', key, question: QUESTION_TEXT.videoShape, answer: shape, frames }
	];
}
