import { describe, expect, it } from 'vitest';
import { adamwRef } from '../kernels/reference/loss';
import { randomArray, relError } from '../kernels/reference/compare';
import { parameter } from '../tensor/create';
import { AdamW } from './adamw';

describe('AdamW', () => {
	it('matches the float64 reference over steps, with groups, clipping and grad scaling', () => {
		const a = parameter([37], 'a', randomArray(37, 1));
		const b = parameter([5], 'b', randomArray(5, 2));
		const opt = new AdamW([{ params: [a] }, { params: [b], weightDecay: 0, lr: 0.05 }], { lr: 0.01, weightDecay: 0.1, maxGradNorm: 0.5 });
		const ref = [
			{ p: randomArray(37, 1), m: new Float64Array(37), v: new Float64Array(37) },
			{ p: randomArray(5, 2), m: new Float64Array(5), v: new Float64Array(5) }
		];
		for (let step = 1; step <= 3; step++) {
			const ga = randomArray(37, 10 + step), gb = randomArray(5, 20 + step);
			(a.grad as NonNullable<typeof a.grad>).set(ga);
			(b.grad as NonNullable<typeof b.grad>).set(gb);
			const { gradNorm, clipScale } = opt.step({ gradScale: 0.5 });
			let ss = 0;
			for (const g of [ga, gb]) for (const v of g) ss += (v * 0.5) ** 2;
			expect(gradNorm).toBeCloseTo(Math.sqrt(ss), 5);
			const scale = 0.5 * Math.min(1, 0.5 / (Math.sqrt(ss) + 1e-6));
			expect(clipScale * 0.5).toBeCloseTo(scale, 6);
			adamwRef(ref[0], ga, step, 0.01, 0.9, 0.999, 1e-8, 0.1, scale);
			adamwRef(ref[1], gb, step, 0.05, 0.9, 0.999, 1e-8, 0, scale);
			expect(relError(a.f32(), ref[0].p)).toBeLessThan(1e-5);
			expect(relError(b.f32(), ref[1].p)).toBeLessThan(1e-5);
		}
		opt.step({ zeroGrad: true });
		expect(Math.max(...(a.grad as NonNullable<typeof a.grad>).f32())).toBe(0);
	});
});
