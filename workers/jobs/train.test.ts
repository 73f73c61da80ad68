// The train runner end to end on the nano preset: plan, metrics and checkpoints reported through the
// job context, a stop request honoured at a checkpoint, and a resume that logs the losses of an
// uninterrupted run.

import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownThreads } from '../../src/lib/engine/index';
import { runConfigSchema } from '../../src/lib/shared/run/runConfig';
import { trainProgressSchema, type TrainProgress } from '../../src/lib/shared/run/runRecord';
import { runTrain } from './train';

const dir = mkdtempSync(join(tmpdir(), 'swiftboard-runner-'));
afterAll(async () => {
	await shutdownThreads();
	rmSync(dir, { recursive: true, force: true });
});
const dataset = join(dir, 'data.jsonl');
writeFileSync(dataset, Array.from({ length: 32 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `${i % 10} plus ${(i * 7) % 10}?` }, { role: 'assistant', content: String((i % 10) + ((i * 7) % 10)) }] })).join('\n'));
const config = runConfigSchema.parse({ name: 'r', model: 'nano', dataset: 'd', tuner_type: 'full', max_steps: 6, save_steps: 2, eval_steps: 3, logging_steps: 1, max_length: 48, learning_rate: 3e-3, split_dataset_ratio: 0.25 });

async function run(runDir: string, options: { stopAt?: number; resumeFrom?: string } = {}) {
	const reports: TrainProgress[] = [];
	let stop = false;
	const outcome = await runTrain(
		{ runId: 'r', runDir, datasetPath: dataset, valDatasetPath: null, resumeFrom: options.resumeFrom ?? null, modelDir: null, config },
		{
			jobId: 'j',
			slotId: 'cpu',
			get stopRequested() {
				return stop;
			},
			progress: (_f, data) => {
				const report = trainProgressSchema.parse(data);
				reports.push(report);
				if (report.kind === 'metrics' && options.stopAt !== undefined && report.metrics.step >= options.stopAt) stop = true;
			},
			log: () => {}
		}
	);
	const losses = new Map(reports.flatMap((r) => (r.kind === 'metrics' && r.metrics.loss !== undefined ? [[r.metrics.step, r.metrics.loss] as const] : [])));
	return { outcome, reports, losses };
}

describe('the train runner', () => {
	it('reports its plan, losses, evaluations and checkpoints, stops at a checkpoint and resumes with the same losses', async () => {
		const straight = await run(join(dir, 'straight'));
		expect(straight.outcome.status).toBe('succeeded');
		expect(straight.reports[0]).toEqual({ kind: 'plan', maxSteps: 6, startStep: 0 });
		expect([...straight.losses.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
		expect(straight.reports.filter((r) => r.kind === 'metrics' && r.metrics.eval_loss !== undefined).map((r) => r.kind === 'metrics' && r.metrics.step)).toEqual([3, 6]);
		expect(straight.reports.filter((r) => r.kind === 'checkpoint').map((r) => r.kind === 'checkpoint' && r.step)).toEqual([2, 4, 6]);

		const stopped = await run(join(dir, 'resumed'), { stopAt: 3 });
		expect(stopped.outcome).toMatchObject({ status: 'stopped', result: { globalStep: 3 } });
		const checkpoint = join(dir, 'resumed', 'checkpoint-3');
		expect(existsSync(checkpoint)).toBe(true);
		const resumed = await run(join(dir, 'resumed'), { resumeFrom: checkpoint });
		expect(resumed.reports[0]).toEqual({ kind: 'plan', maxSteps: 6, startStep: 3 });
		expect([...resumed.losses]).toEqual([...straight.losses].filter(([step]) => step > 3));
	});
});
