/**
 * An RGB raster with anti-aliased shape filling: each pixel is covered by a 4x4 grid of sub-samples
 * and blended by the fraction that falls inside the shape.
 */
import type { Rgb } from '../../shared/demo/vocabulary';

export type { Rgb };

export interface Canvas {
	width: number;
	height: number;
	/** Interleaved RGB bytes, row-major. */
	rgb: Uint8Array;
}

export interface Shape {
	/** Bounding box in pixels, to limit the pixels tested. */
	bounds: { x0: number; y0: number; x1: number; y1: number };
	contains(x: number, y: number): boolean;
}

const SUB = 4;

export function createCanvas(width: number, height: number, background: Rgb): Canvas {
	const rgb = new Uint8Array(width * height * 3);
	for (let i = 0; i < width * height; i++) rgb.set(background, i * 3);
	return { width, height, rgb };
}

export function fillShape(canvas: Canvas, shape: Shape, colour: Rgb): void {
	const { x0, y0, x1, y1 } = shape.bounds;
	const xStart = Math.max(0, Math.floor(x0));
	const yStart = Math.max(0, Math.floor(y0));
	const xEnd = Math.min(canvas.width - 1, Math.ceil(x1));
	const yEnd = Math.min(canvas.height - 1, Math.ceil(y1));
	for (let y = yStart; y <= yEnd; y++) {
		for (let x = xStart; x <= xEnd; x++) {
			let inside = 0;
			for (let sy = 0; sy < SUB; sy++) {
				for (let sx = 0; sx < SUB; sx++) if (shape.contains(x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB)) inside++;
			}
			if (inside === 0) continue;
			const alpha = inside / (SUB * SUB);
			const at = (y * canvas.width + x) * 3;
			for (let c = 0; c < 3; c++) canvas.rgb[at + c] = Math.round(canvas.rgb[at + c] * (1 - alpha) + colour[c] * alpha);
		}
	}
}

export function circle(cx: number, cy: number, r: number): Shape {
	return {
		bounds: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r },
		contains: (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
	};
}

/** A closed polygon, tested with the even-odd rule. */
export function polygon(points: readonly (readonly [number, number])[]): Shape {
	const xs = points.map((p) => p[0]);
	const ys = points.map((p) => p[1]);
	return {
		bounds: { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) },
		contains: (x, y) => {
			let inside = false;
			for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
				const [xi, yi] = points[i];
				const [xj, yj] = points[j];
				if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
			}
			return inside;
		}
	};
}
