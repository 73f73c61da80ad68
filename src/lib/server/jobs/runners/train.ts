import path from 'node:path';
import { initThreads } from '../../../engine/index';
import { Trainer, type TrainLog } from '../../../engine/train/index';
import { runConfigSchema } from '../../../shared/run/runConfig';
import { trainerInputsOf } from '../../../shared/run/trainerInputs';
import { trainJobPayloadSchema, type TrainMetrics, type TrainProgress } from '../../../shared/run/runRecord';
import { runDemoVlm } from './trainDemoVlm';
import { readDatasetRows, splitRows } from './trainRows';
import type { JobRunContext, JobRunner } from './types';

let threadsReady: Promise<number> | null = null;

/** Engine metrics carry only numbers to the server; text entries (none today) are dropped. */
function numericMetrics(log: TrainLog, maxSteps: number, lastElapsed: number): TrainMetrics {
	const metrics: Record<string, number> = {};
	for (const [key, value] of Object.entries(log)) if (typeof value === 'number' && Number.isFinite(value)) metrics[key] = value;
	return { ...metrics, step: metrics.step ?? 0, epoch: metrics.epoch ?? 0, elapsed_ms: metrics.elapsed_ms ?? lastElapsed, max_steps: maxSteps };
}

function report(context: JobRunContext, fraction: number, progress: TrainProgress): void {
	context.progress(fraction, progress);
}

/** Trains a run with the built-in engine, reporting every logging step, checkpoint and the outcome. */
export const runTrain: JobRunner = async (payload, context) => {
	const job = trainJobPayloadSchema.parse(payload);
	const config = runConfigSchema.parse(job.config);
	threadsReady ??= initThreads();
	await threadsReady;
	if (config.model === 'demo-vlm') return runDemoVlm(job, config, context);

	const rows = await readDatasetRows(job.datasetPath);
	const { train, val } = job.valDatasetPath
		? { train: rows, val: await readDatasetRows(job.valDatasetPath) }
		: splitRows(rows, config.split_dataset_ratio, config.seed);
	context.log(`Loaded ${train.length} training rows and ${val.length} validation rows from ${path.basename(path.dirname(job.datasetPath))}.`);

	const inputs = trainerInputsOf(config);
	const trainer = await Trainer.create({
		...inputs,
		// The schema admits only the built-in presets for the built-in engine; demo-vlm left above.
		model: inputs.model as 'nano' | 'micro',
		train,
		val,
		outputDir: job.runDir,
		resumeFromCheckpoint: job.resumeFrom ?? undefined
	});
	try {
		const total = trainer.totalSteps;
		const startStep = trainer.state.global_step;
		report(context, startStep / total, { kind: 'plan', maxSteps: total, startStep });
		context.log(
			job.resumeFrom
				? `Resuming from ${path.basename(job.resumeFrom)} at step ${startStep} of ${total}.`
				: `Training ${config.model} (${config.tuner_type}${config.quant_bits ? `, ${config.quant_bits}-bit base` : ''}) for ${total} steps.`
		);
		let lastElapsed = 0;
		const result = await trainer.run({
			onLog: (log) => {
				const metrics = numericMetrics(log, total, lastElapsed);
				lastElapsed = metrics.elapsed_ms;
				report(context, metrics.step / total, { kind: 'metrics', metrics });
				if (metrics.loss !== undefined) context.log(`step ${metrics.step}/${total} loss ${metrics.loss.toFixed(4)}${metrics.token_acc !== undefined ? ` token_acc ${metrics.token_acc.toFixed(3)}` : ''}`);
				if (metrics.eval_loss !== undefined) context.log(`eval at step ${metrics.step}: eval_loss ${metrics.eval_loss.toFixed(4)}`);
			},
			onCheckpoint: (checkpoint) => {
				const step = Number(/checkpoint-(\d+)$/.exec(checkpoint)?.[1] ?? trainer.state.global_step);
				report(context, step / total, { kind: 'checkpoint', step, path: checkpoint });
				context.log(`Saved ${path.basename(checkpoint)}.`);
			},
			shouldStop: () => context.stopRequested
		});
		context.log(result.status === 'stopped' ? `Stopped at step ${result.globalStep}.` : `Finished after ${result.globalStep} steps.`);
		return { status: result.status === 'stopped' ? 'stopped' : 'succeeded', result: { globalStep: result.globalStep, lastCheckpoint: result.lastCheckpoint } };
	} finally {
		trainer.dispose();
	}
};
