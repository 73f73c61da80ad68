// Every preference loss's analytic gradient against central finite differences, and the DPO
// quantities on hand-made numbers.

import { describe, expect, it } from 'vitest';
import { numericGrad, relError } from '../kernels/reference/compare';
import { preferenceLoss, type PreferenceConfig } from './preference';

const logps = Float64Array.of(-12.5, -30.2, -15.1, -26.0);
const lengths = [10, 20, 12, 18];
const reference = [-13.0, -29.0, -14.0, -27.5];

describe('preference losses', () => {
	for (const config of [
		{ rlhf_type: 'dpo', beta: 0.1 },
		{ rlhf_type: 'dpo', beta: 0.5, rpo_alpha: 1 },
		{ rlhf_type: 'orpo', beta: 0.1 },
		{ rlhf_type: 'simpo', beta: 2, simpo_gamma: 1 }
	] as PreferenceConfig[]) {
		it(`${JSON.stringify(config)} has its exact gradient`, () => {
			const r = preferenceLoss(config, logps, lengths, reference);
			expect(Number.isFinite(r.value)).toBe(true);
			const numeric = numericGrad((x) => preferenceLoss(config, x, lengths, reference).value, Float64Array.from(logps));
			expect(relError(r.grad, numeric)).toBeLessThan(1e-6);
		});
	}

	it('reports DPO rewards like TRL', () => {
		const r = preferenceLoss({ rlhf_type: 'dpo', beta: 0.1 }, logps, lengths, reference);
		expect(r.metrics['rewards/chosen']).toBeCloseTo((0.1 * (0.5 - 1.2)) / 2, 12);
		expect(r.metrics['rewards/rejected']).toBeCloseTo((0.1 * (-1.1 + 1.5)) / 2, 12);
		expect(r.metrics['rewards/accuracies']).toBe(0.5);
		const z = [0.1 * 0.5 - 0.1 * -1.1, 0.1 * -1.2 - 0.1 * 1.5];
		expect(r.value).toBeCloseTo(z.reduce((s, v) => s + Math.log1p(Math.exp(-v)), 0) / 2, 12);
	});

	it('ORPO stays finite when a response is certain', () => {
		const r = preferenceLoss({ rlhf_type: 'orpo', beta: 0.1 }, [0, -5], [3, 3]);
		expect(Number.isFinite(r.value)).toBe(true);
		expect(Array.from(r.grad).every(Number.isFinite)).toBe(true);
	});
});
