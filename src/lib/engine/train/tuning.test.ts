// Every tuner trains the tiny decoder on arithmetic chat rows and its loss falls; QLoRA's loss
// curve stays within a stated distance of LoRA's; logs carry the keys the console charts.

import { describe, expect, it } from 'vitest';
import { engine } from '../tensor/runtime';
import type { TunerConfig } from '../tuners/config';
import type { TrainLog } from './state';
import { arithmeticRows } from './testData';
import { scratchDir, TINY } from './testModel';
import { Trainer } from './trainer';

async function losses(tuner: TunerConfig, learningRate: number, steps = 30): Promise<TrainLog[]> {
	const trainer = await Trainer.create({
		model: TINY, tuner, train: arithmeticRows(48), outputDir: scratchDir(),
		args: { max_steps: steps, per_device_train_batch_size: 8, learning_rate: learningRate, logging_steps: 1, save_steps: 1000, lr_scheduler_type: 'constant', seed: 7 }
	});
	const logs: TrainLog[] = [];
	await trainer.run({ onLog: (m) => logs.push(m) });
	return logs.filter((l) => 'loss' in l);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const lossAt = (logs: TrainLog[]) => logs.map((l) => l.loss as number);

describe('tuners train', () => {
	const cases: [string, TunerConfig, number][] = [
		['full', { tuner_type: 'full' }, 3e-3],
		['lora', { tuner_type: 'lora', lora_rank: 8, lora_dropout: 0.05 }, 4e-3],
		['lora rslora', { tuner_type: 'lora', lora_rank: 8, use_rslora: true }, 3e-3],
		['dora', { tuner_type: 'lora', lora_rank: 8, use_dora: true }, 4e-3],
		['qlora 4-bit', { tuner_type: 'lora', lora_rank: 8, quant_bits: 4 }, 4e-3],
		['lora on an int8 base', { tuner_type: 'lora', lora_rank: 8, quant_bits: 8 }, 4e-3],
		['dora on an NF4 base', { tuner_type: 'lora', lora_rank: 8, quant_bits: 4, use_dora: true }, 4e-3]
	];
	for (const [name, tuner, lr] of cases) {
		it(`${name}: the loss falls`, async () => {
			const l = lossAt(await losses(tuner, lr));
			expect(mean(l.slice(-3))).toBeLessThan(mean(l.slice(0, 3)) - 0.3);
		});
	}

	it('QLoRA tracks LoRA: mean per-step loss gap < 0.02 nats, worst < 0.1, over 30 updates', async () => {
		const lora = lossAt(await losses({ tuner_type: 'lora', lora_rank: 8, lora_dropout: 0 }, 4e-3));
		const qlora = lossAt(await losses({ tuner_type: 'lora', lora_rank: 8, lora_dropout: 0, quant_bits: 4 }, 4e-3));
		const gaps = lora.map((v, i) => Math.abs(v - qlora[i]));
		expect(mean(gaps)).toBeLessThan(0.02);
		expect(Math.max(...gaps)).toBeLessThan(0.1);
	});

	it('gradient accumulation 2 x 4 follows batch 8 (token-weighted loss)', async () => {
		const run = async (bs: number, accum: number) => {
			const logs: TrainLog[] = [];
			const trainer = await Trainer.create({
				model: TINY, tuner: { tuner_type: 'full' }, train: arithmeticRows(32), outputDir: scratchDir(),
				args: { max_steps: 6, per_device_train_batch_size: bs, gradient_accumulation_steps: accum, learning_rate: 2e-3, logging_steps: 1, save_steps: 1000, seed: 3 }
			});
			await trainer.run({ onLog: (m) => logs.push(m) });
			return lossAt(logs);
		};
		const [a, b] = [await run(8, 1), await run(4, 2)];
		for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
	});

	it('evaluates on the validation set', async () => {
		const logs: TrainLog[] = [];
		const trainer = await Trainer.create({
			model: TINY, tuner: { tuner_type: 'lora', lora_rank: 4 }, train: arithmeticRows(16), val: arithmeticRows(6, 50), outputDir: scratchDir(),
			args: { max_steps: 4, per_device_train_batch_size: 4, eval_steps: 2, logging_steps: 2, save_steps: 1000 }
		});
		await trainer.run({ onLog: (m) => logs.push(m) });
		const evals = logs.filter((l) => 'eval_loss' in l);
		expect(evals.map((l) => l.step)).toEqual([2, 4]);
		for (const l of evals) {
			expect(l.eval_loss).toBeGreaterThan(0);
			expect(l.eval_token_acc).toBeGreaterThanOrEqual(0);
		}
	});

	it('a disposed trainer gives its memory back: the next job of the same shape needs no more', async () => {
		const job = async () => {
			const trainer = await Trainer.create({
				model: TINY, tuner: { tuner_type: 'lora', lora_rank: 4, quant_bits: 4 }, train: arithmeticRows(8), outputDir: scratchDir(),
				args: { max_steps: 2, per_device_train_batch_size: 4, save_steps: 1000 }
			});
			await trainer.run();
			trainer.dispose();
		};
		await job();
		const used = engine().heap.used;
		await job();
		expect(engine().heap.used).toBe(used);
	});

	it('logs the console keys', async () => {
		const [first] = await losses({ tuner_type: 'lora', lora_rank: 4 }, 1e-3, 2);
		for (const key of ['step', 'epoch', 'loss', 'token_acc', 'learning_rate', 'grad_norm', 'tokens_per_s', 'memory', 'elapsed_ms', 'remaining_ms']) {
			expect(typeof first[key]).toBe('number');
		}
		expect(first.step).toBe(1);
	});
});
