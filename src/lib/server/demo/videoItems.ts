import { createCanvas, type Canvas } from './canvas';
import { mediaKey, type DemoItem } from './demoItem';
import { QUESTION_TEXT } from '../../shared/demo/questionTypes';
import type { Rng } from './rng';
import { drawShape } from './shapes';
import { BACKGROUND, COLOUR_NAMES, COLOURS, DIRECTIONS, SHAPES, type DirectionName } from '../../shared/demo/vocabulary';

export const VIDEO_SIZE = 64;
export const VIDEO_FRAMES = 8;
export const VIDEO_FPS = 8;

const STEP: Record<DirectionName, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };
const TRAVEL = 24;
const DIRECTION_ASKED = 0.5;

/** 8 frames of one shape sliding 24 px left, right, up or down across a 64x64 frame, asked its shape and, for half of them, its direction. */
export function videoItems(rng: Rng): DemoItem[] {
	const shape = rng.pick(SHAPES);
	const colour = rng.pick(COLOUR_NAMES);
	const direction = rng.pick(DIRECTIONS);
	// The sizes of the lone shapes in pictures, so what the tower learns of form there holds here.
	const radius = rng.int(9, 11);
	const [dx, dy] = STEP[direction];
	// Start so the whole path stays inside the frame: the moving axis runs 20 -> 44 (or back).
	const cross = rng.int(20, 44);
	const startX = dx === 0 ? cross : dx > 0 ? 20 : 44;
	const startY = dy === 0 ? cross : dy > 0 ? 20 : 44;
	const frames: Canvas[] = [];
	for (let f = 0; f < VIDEO_FRAMES; f++) {
		const t = (f * TRAVEL) / (VIDEO_FRAMES - 1);
		const canvas = createCanvas(VIDEO_SIZE, VIDEO_SIZE, BACKGROUND);
		drawShape(canvas, shape, startX + dx * t, startY + dy * t, radius, COLOURS[colour]);
		frames.push(canvas);
	}
	const key = mediaKey(...frames.map((f) => f.rgb));
	const items: DemoItem[] = [{ modality: 'video', key, question: QUESTION_TEXT.videoShape, answer: shape, frames }];
	// Direction is learned in a few hundred updates, the moving shape in thousands: half the videos are asked it.
	if (rng.next() < DIRECTION_ASKED) items.push({ modality: 'video', key, question: QUESTION_TEXT.videoDirection, answer: direction, frames });
	return items;
}
