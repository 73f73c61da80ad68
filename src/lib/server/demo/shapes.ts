import { circle, fillShape, polygon, type Canvas, type Rgb, type Shape } from './canvas';
import type { ShapeName } from '../../shared/demo/vocabulary';

/** Regular polygon points around (cx, cy), first vertex straight up. */
function ring(cx: number, cy: number, radii: number[], count: number): [number, number][] {
	return Array.from({ length: count }, (_, i) => {
		const angle = -Math.PI / 2 + (2 * Math.PI * i) / count;
		const r = radii[i % radii.length];
		return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
	});
}

/** A shape of roughly the same visual size whatever its kind, centred at (cx, cy) with radius r. */
export function shapeOutline(name: ShapeName, cx: number, cy: number, r: number): Shape {
	switch (name) {
		case 'circle':
			return circle(cx, cy, r * 0.9);
		case 'square': {
			const h = r * 0.8;
			return polygon([
				[cx - h, cy - h],
				[cx + h, cy - h],
				[cx + h, cy + h],
				[cx - h, cy + h]
			]);
		}
		case 'triangle':
			// Shifted down a little so its visual centre, not its circumcentre, sits at (cx, cy).
			return polygon(ring(cx, cy + r * 0.15, [r * 1.05], 3));
		case 'star':
			return polygon(ring(cx, cy, [r * 1.05, r * 0.45], 10));
	}
}

export function drawShape(canvas: Canvas, name: ShapeName, cx: number, cy: number, r: number, colour: Rgb): void {
	fillShape(canvas, shapeOutline(name, cx, cy, r), colour);
}
