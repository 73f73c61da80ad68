// demo_resume_identical: a short demo-vlm run through the console's runner, once straight through
// and once stopped at a checkpoint and resumed from it; the resumed run must log the same loss at
// every step, bit for bit.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfigInput } from '../../../src/lib/shared/run/runConfig';
import { runTrainJob } from './trainJob';

export interface ResumeCheck {
	identical: boolean;
	steps: number;
	stoppedAt: number;
	/** First step whose losses differ, or null. */
	firstDifference: number | null;
}

export async function resumeCheck(demoDir: string, workDir: string, rows = 96, steps = 24): Promise<ResumeCheck> {
	// A subset beside the demo set's train.jsonl, so its media paths resolve as they are.
	const subset = join(demoDir, 'resume-subset.jsonl');
	const lines = (await readFile(join(demoDir, 'train.jsonl'), 'utf8')).split('\n').filter(Boolean).slice(0, rows);
	await writeFile(subset, lines.join('\n') + '\n');
	const config: Partial<RunConfigInput> = { model: 'demo-vlm', tuner_type: 'full', freeze_vit: false, learning_rate: 1e-3, per_device_train_batch_size: 8, max_length: 160, max_steps: steps, logging_steps: 1, save_steps: steps, eval_steps: steps, split_dataset_ratio: 0 };
	const straight = await runTrainJob({ runDir: join(workDir, 'straight'), datasetPath: subset, config });
	const stopAt = Math.floor(steps / 2) - 2;
	const first = await runTrainJob({ runDir: join(workDir, 'resumed'), datasetPath: subset, config, stopAtStep: stopAt });
	const checkpoint = first.checkpoints.at(-1);
	if (first.status !== 'stopped' || !checkpoint) throw new Error(`the run to stop ${first.status} without a checkpoint`);
	const second = await runTrainJob({ runDir: join(workDir, 'resumed'), datasetPath: subset, config, resumeFrom: checkpoint });
	const resumed = new Map([...first.losses, ...second.losses]);
	let firstDifference: number | null = null;
	for (let step = 1; step <= steps; step++) {
		if (resumed.get(step) !== straight.losses.get(step) || !straight.losses.has(step)) {
			firstDifference = step;
			break;
		}
	}
	return { identical: firstDifference === null, steps, stoppedAt: Math.max(...first.losses.keys()), firstDifference };
}
