// The demo path on the one Trainer: a demo-vlm-shaped run (the preset's settings on a tiny model)
// stopped and resumed from its checkpoint logs the uninterrupted run's losses bitwise, and the
// trained model answers rows greedily from the run's media cache.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainLog } from '../../train/state';
import { answerDemoRows, trainDemoVlm } from './demo';
import { TINY_MULTIMODAL } from './testModel';
import { multimodalRows, testMediaLoaders } from './testRows';

const PRESET = { config: TINY_MULTIMODAL, max_steps: 5, per_device_train_batch_size: 4, logging_steps: 1, max_length: 64 };

describe('trainDemoVlm', () => {
	it('resumes a stopped demo run to the uninterrupted losses and answers rows', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'swiftboard-demo-test-'));
		const trainFile = join(dir, 'train.jsonl');
		writeFileSync(trainFile, multimodalRows(12).map((r) => JSON.stringify(r)).join('\n'));
		const losses = (logs: TrainLog[]) => logs.map((l) => [l.step, l.loss, l.grad_norm, l.learning_rate]);

		const whole: TrainLog[] = [];
		const full = await trainDemoVlm({ trainFile, loaders: testMediaLoaders, preset: PRESET, outputDir: join(dir, 'whole'), callbacks: { onLog: (l) => whole.push(l) } });
		expect(full.result).toMatchObject({ status: 'completed', globalStep: 5 });
		expect(full.samples).toBe(12);

		const first: TrainLog[] = [];
		let polls = 0;
		const stopped = await trainDemoVlm({ trainFile, loaders: testMediaLoaders, preset: PRESET, outputDir: join(dir, 'split'), callbacks: { onLog: (l) => first.push(l), shouldStop: () => ++polls >= 2 } });
		expect(stopped.result.status).toBe('stopped');
		const rest: TrainLog[] = [];
		await trainDemoVlm({ trainFile, loaders: testMediaLoaders, preset: PRESET, outputDir: join(dir, 'split'), resumeFromCheckpoint: stopped.result.lastCheckpoint as string, callbacks: { onLog: (l) => rest.push(l) } });
		expect(losses([...first, ...rest])).toEqual(losses(whole));

		const answers = await answerDemoRows(full, multimodalRows(5, 30), dir);
		expect(answers).toHaveLength(5);
		expect(answers.every((a) => typeof a === 'string')).toBe(true);
	});
});
