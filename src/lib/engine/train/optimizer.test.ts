import { describe, expect, it } from 'vitest';
import { adamwRef } from '../kernels/reference/loss';
import { randomArray, relError } from '../kernels/reference/compare';
import { parameter } from '../tensor/create';
import { clipScale, ResumableAdamW } from './optimizer';

describe('ResumableAdamW', () => {
	it('matches the float64 reference over steps: decay on matrices only, per-tensor rates, global clipping', () => {
		const a = parameter([6, 7], 'a', randomArray(42, 1));
		const b = parameter([5], 'b', randomArray(5, 2));
		const opt = new ResumableAdamW([['a', a], ['b', b]], { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 0.5 }, (n) => (n === 'b' ? 5 : 1));
		const ref = [
			{ p: randomArray(42, 1), m: new Float64Array(42), v: new Float64Array(42) },
			{ p: randomArray(5, 2), m: new Float64Array(5), v: new Float64Array(5) }
		];
		for (let step = 1; step <= 3; step++) {
			const ga = randomArray(42, 10 + step), gb = randomArray(5, 20 + step);
			(a.grad as NonNullable<typeof a.grad>).set(ga);
			(b.grad as NonNullable<typeof b.grad>).set(gb);
			let ss = 0;
			for (const g of [ga, gb]) for (const v of g) ss += v ** 2;
			const norm = opt.step(0.01);
			expect(norm).toBeCloseTo(Math.sqrt(ss), 5);
			const scale = clipScale(Math.sqrt(ss), 0.5);
			expect(scale).toBeLessThan(1);
			adamwRef(ref[0], ga, step, 0.01, 0.9, 0.95, 1e-8, 0.1, scale);
			adamwRef(ref[1], gb, step, 0.05, 0.9, 0.95, 1e-8, 0, scale);
			expect(relError(a.f32(), ref[0].p)).toBeLessThan(1e-5);
			expect(relError(b.f32(), ref[1].p)).toBeLessThan(1e-5);
			// The update clears the gradients.
			expect(Math.max(...(a.grad as NonNullable<typeof a.grad>).f32().map(Math.abs))).toBe(0);
		}
		const saved = opt.stateTensors();
		const copy = new ResumableAdamW([['a', a], ['b', b]], { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 0.5 });
		copy.loadState(opt.t, (name) => saved.find((t) => t.name === name)?.data);
		expect(copy.stateTensors()).toEqual(saved);
	});
});
