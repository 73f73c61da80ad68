import { describe, expect, it } from 'vitest';
import { learningRateAt, resolveWarmupSteps, type LrScheduleConfig } from './schedule';

const base = { learningRate: 1e-4, totalSteps: 100 };
const at = (config: LrScheduleConfig, steps: number[]) => steps.map((step) => learningRateAt(step, config));

describe('learning-rate schedules', () => {
	it('resolves warmup like HF: steps win over ratio, ratio rounds up', () => {
		expect(resolveWarmupSteps({ totalSteps: 30, warmupRatio: 0.05 })).toBe(2);
		expect(resolveWarmupSteps({ totalSteps: 30, warmupRatio: 0.05, warmupSteps: 7 })).toBe(7);
		expect(resolveWarmupSteps({ totalSteps: 30 })).toBe(0);
	});

	it('constant ignores warmup; constant_with_warmup ramps then holds', () => {
		expect(at({ ...base, type: 'constant', warmupSteps: 10 }, [0, 50])).toEqual([1e-4, 1e-4]);
		expect(at({ ...base, type: 'constant_with_warmup', warmupSteps: 10 }, [0, 5, 10, 99])).toEqual([0, 5e-5, 1e-4, 1e-4]);
	});

	it('linear warms up then decays to zero at the last step', () => {
		const values = at({ ...base, type: 'linear', warmupSteps: 10 }, [0, 5, 10, 55, 100, 120]);
		[0, 5e-5, 1e-4, 5e-5, 0, 0].forEach((expected, i) => expect(values[i]).toBeCloseTo(expected, 12));
	});

	it('cosine follows half a cosine wave after warmup', () => {
		const config: LrScheduleConfig = { learningRate: 1e-4, totalSteps: 110, type: 'cosine', warmupSteps: 10 };
		const values = at(config, [0, 5, 10, 35, 60, 110]);
		const quarter = 0.5 * (1 + Math.cos(Math.PI / 4));
		[0, 5e-5, 1e-4, 1e-4 * quarter, 5e-5, 0].forEach((expected, i) => expect(values[i]).toBeCloseTo(expected, 12));
	});

	it('cosine_with_min_lr decays to the floor instead of zero', () => {
		const config: LrScheduleConfig = { ...base, type: 'cosine_with_min_lr', minLr: 1e-5 };
		expect(learningRateAt(0, config)).toBeCloseTo(1e-4, 12);
		expect(learningRateAt(50, config)).toBeCloseTo(5.5e-5, 12);
		expect(learningRateAt(100, config)).toBeCloseTo(1e-5, 12);
		expect(() => learningRateAt(0, { ...base, type: 'cosine_with_min_lr' })).toThrow(/needs minLr/);
	});

	it('rejects unknown types and bad ratios', () => {
		expect(() => learningRateAt(0, { ...base, type: 'polynomial' as 'linear' })).toThrow(/unknown lr_scheduler_type/);
		expect(() => learningRateAt(0, { ...base, type: 'linear', warmupRatio: 2 })).toThrow(/warmupRatio/);
	});
});
