import type { Point } from './runStream.svelte';

/** TensorBoard-style exponential moving average with debiasing, so the start is not pulled to zero. */
export function smoothPoints(points: Point[], weight: number): Point[] {
	const out: Point[] = new Array(points.length);
	let last = 0;
	for (let i = 0; i < points.length; i++) {
		last = last * weight + (1 - weight) * points[i].y;
		out[i] = { x: points[i].x, y: last / (1 - weight ** (i + 1)) };
	}
	return out;
}
