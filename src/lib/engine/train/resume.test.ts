// Exact resume: a run stopped after update k and resumed from its checkpoint logs the same losses
// as one that never stopped. Checkpoints reload to identical logits, and save_total_limit prunes.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TunerConfig } from '../tuners/config';
import type { TrainingArguments } from './config';
import { exportMerged } from './exportMerged';
import { inferenceModel, loadModelForInference } from './inference';
import type { TrainLog } from './state';
import { arithmeticRows } from './testData';
import { scratchDir, TINY } from './testModel';
import { Trainer, type TrainerOptions } from './trainer';

const ARGS: TrainingArguments = {
	max_steps: 10, per_device_train_batch_size: 4, gradient_accumulation_steps: 2, learning_rate: 3e-3,
	lr_scheduler_type: 'cosine', warmup_ratio: 0.2, logging_steps: 1, save_steps: 100, seed: 11
};

function options(tuner: TunerConfig, outputDir: string, extra: Partial<TrainerOptions> = {}): TrainerOptions {
	return { model: TINY, tuner, train: arithmeticRows(20), outputDir, args: ARGS, ...extra };
}

const losses = (logs: TrainLog[]) => logs.filter((l) => 'loss' in l).map((l) => [l.step, l.loss, l.grad_norm, l.learning_rate]);

describe('checkpoints and resume', () => {
	for (const tuner of [{ tuner_type: 'lora', lora_rank: 4, lora_dropout: 0.1 }, { tuner_type: 'full' }, { tuner_type: 'lora', lora_rank: 4, quant_bits: 4, lora_dropout: 0.1 }] as TunerConfig[]) {
		it(`${JSON.stringify(tuner)}: stop at step 4 + resume gives the uninterrupted losses bitwise`, async () => {
			const whole: TrainLog[] = [];
			await (await Trainer.create(options(tuner, scratchDir()))).run({ onLog: (m) => whole.push(m) });

			const dir = scratchDir();
			const first: TrainLog[] = [];
			let polls = 0;
			const stopped = await (await Trainer.create(options(tuner, dir))).run({ onLog: (m) => first.push(m), shouldStop: () => ++polls >= 4 });
			expect(stopped.status).toBe('stopped');
			expect(stopped.globalStep).toBe(4);
			expect(stopped.lastCheckpoint).toBe(join(dir, 'checkpoint-4'));

			const rest: TrainLog[] = [];
			const resumed = await Trainer.create(options(tuner, dir, { resumeFromCheckpoint: join(dir, 'checkpoint-4') }));
			const done = await resumed.run({ onLog: (m) => rest.push(m) });
			expect(done.status).toBe('completed');
			expect(losses([...first, ...rest])).toEqual(losses(whole));
		});
	}

	it('a LoRA checkpoint reloads to identical logits and generates like full recomputation', async () => {
		const dir = scratchDir();
		const trainer = await Trainer.create(options({ tuner_type: 'lora', lora_rank: 4, use_dora: true }, dir, { args: { ...ARGS, max_steps: 3 } }));
		const result = await trainer.run();
		const ckpt = result.lastCheckpoint as string;
		for (const f of ['adapter_config.json', 'adapter_model.safetensors', 'trainer_state.json', 'optimizer.safetensors', 'args.json']) expect(existsSync(join(ckpt, f))).toBe(true);
		const ids = [1, 72, 105, 33, 4, 50, 60];
		const live = inferenceModel(trainer.tuned.model).forwardLogits(ids);
		const loaded = await loadModelForInference(ckpt);
		expect(loaded.forwardLogits(ids)).toEqual(live);
		// KV-cached greedy decoding equals argmax over full recomputation.
		const generated = loaded.generate(ids, { max_new_tokens: 6, stop: [] });
		const seq = [...ids];
		for (let i = 0; i < 6; i++) {
			const logits = loaded.forwardLogits(seq);
			const V = logits.length / seq.length;
			const row = logits.subarray((seq.length - 1) * V);
			seq.push(row.indexOf(Math.max(...row)));
		}
		expect(generated).toEqual(seq.slice(ids.length));
		// Exported with the adapters merged: a plain HF model with the same logits.
		const merged = await loadModelForInference(await exportMerged(ckpt));
		const diff = merged.forwardLogits(ids).reduce((m, v, i) => Math.max(m, Math.abs(v - live[i])), 0);
		expect(diff).toBeLessThan(1e-4);
	});

	it('a QLoRA checkpoint reloads on an identically quantised base', async () => {
		const dir = scratchDir();
		const trainer = await Trainer.create(options({ tuner_type: 'lora', lora_rank: 4, quant_bits: 4 }, dir, { args: { ...ARGS, max_steps: 2 } }));
		const { lastCheckpoint } = await trainer.run();
		const ids = [1, 5, 9, 70, 80];
		const loaded = await loadModelForInference(lastCheckpoint as string);
		expect(loaded.model.projections.every((p) => p.quantized?.kind === 'nf4')).toBe(true);
		expect(loaded.forwardLogits(ids)).toEqual(inferenceModel(trainer.tuned.model).forwardLogits(ids));
	});

	it('a full checkpoint is HF layout and reloads to identical logits; save_total_limit keeps the newest', async () => {
		const dir = scratchDir();
		const trainer = await Trainer.create(options({ tuner_type: 'full' }, dir, { args: { ...ARGS, max_steps: 6, save_steps: 2, save_total_limit: 2 } }));
		const saved: string[] = [];
		await trainer.run({ onCheckpoint: (p) => { saved.push(p); } });
		expect(saved.map((p) => p.split('/').pop())).toEqual(['checkpoint-2', 'checkpoint-4', 'checkpoint-6']);
		expect(readdirSync(dir).filter((n) => n.startsWith('checkpoint-')).sort()).toEqual(['checkpoint-4', 'checkpoint-6']);
		const config = JSON.parse(readFileSync(join(dir, 'checkpoint-6', 'config.json'), 'utf8'));
		expect(config.model_type).toBe('llama');
		const ids = [1, 3, 100, 101, 102];
		const loaded = await loadModelForInference(join(dir, 'checkpoint-6'));
		expect(loaded.forwardLogits(ids)).toEqual(inferenceModel(trainer.tuned.model).forwardLogits(ids));
	});
});
