// Preference training: DPO (reference = the same model with adapters off) raises
// rewards/accuracies; ORPO and SimPO train and report the ms-swift reward keys.

import { describe, expect, it } from 'vitest';
import type { PreferenceConfig } from '../losses/preference';
import type { TunerConfig } from '../tuners/config';
import type { TrainLog } from './state';
import { preferenceRows } from './testData';
import { scratchDir, TINY } from './testModel';
import { Trainer } from './trainer';

async function run(loss: PreferenceConfig, steps: number, lr: number, tuner: TunerConfig = { tuner_type: 'lora', lora_rank: 8, lora_dropout: 0 }): Promise<{ train: TrainLog[]; evals: TrainLog[] }> {
	const trainer = await Trainer.create({
		model: TINY, tuner, loss, train: preferenceRows(32), val: preferenceRows(8, 0), outputDir: scratchDir(),
		args: { max_steps: steps, per_device_train_batch_size: 4, learning_rate: lr, logging_steps: 1, eval_steps: steps, save_steps: 1000, lr_scheduler_type: 'constant' }
	});
	const train: TrainLog[] = [];
	const evals: TrainLog[] = [];
	await trainer.run({ onLog: (m) => ('loss' in m ? train : evals).push(m) });
	return { train, evals };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('preference training', () => {
	it('DPO raises rewards/accuracies and the margin', async () => {
		const { train, evals } = await run({ rlhf_type: 'dpo', beta: 0.1 }, 30, 5e-3);
		for (const key of ['rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected']) expect(typeof train[0][key]).toBe('number');
		// Adapters start at zero: the policy is the reference, every reward is 0.
		expect(train[0]['rewards/accuracies']).toBe(0);
		expect(train[0]['rewards/margins']).toBe(0);
		expect(mean(train.slice(-5).map((l) => l['rewards/accuracies'] as number))).toBeGreaterThan(0.7);
		expect(train[train.length - 1]['rewards/margins']).toBeGreaterThan(0);
		expect(evals[0]['eval_rewards/accuracies']).toBeGreaterThan(0.6);
		expect(train[train.length - 1].loss).toBeLessThan(Math.log(2));
	});

	it('full-parameter DPO uses the starting model as its reference', async () => {
		const { train } = await run({ rlhf_type: 'dpo', beta: 0.1 }, 20, 1e-3, { tuner_type: 'full' });
		expect(train[0]['rewards/margins']).toBeCloseTo(0, 6);
		expect(mean(train.slice(-5).map((l) => l['rewards/accuracies'] as number))).toBeGreaterThan(0.7);
	});

	for (const loss of [{ rlhf_type: 'orpo', beta: 0.1 }, { rlhf_type: 'simpo', beta: 2, simpo_gamma: 0.5 }] as PreferenceConfig[]) {
		it(`${loss.rlhf_type} trains and reports rewards`, async () => {
			const { train } = await run(loss, 20, 5e-3);
			const l = train.map((m) => m.loss as number);
			expect(mean(l.slice(-3))).toBeLessThan(mean(l.slice(0, 3)));
			expect(typeof train[0]['rewards/margins']).toBe('number');
			expect(mean(train.slice(-3).map((m) => m['rewards/margins'] as number))).toBeGreaterThan(mean(train.slice(0, 3).map((m) => m['rewards/margins'] as number)));
		});
	}
});
