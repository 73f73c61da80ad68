import path from 'node:path';
import { initThreads } from '../../src/lib/engine/index';
import { Trainer } from '../../src/lib/engine/train/index';
import { runConfigSchema } from '../../src/lib/shared/run/runConfig';
import { trainJobPayloadSchema, type TrainProgress } from '../../src/lib/shared/run/runRecord';
import { readDatasetRows, splitRows } from './datasetRows';
import { lossOf, tunerOf, trainingArgumentsOf } from './trainerOptions';
import { metricsLogLine, toTrainMetrics } from './trainMetrics';
import { runDemoVlm } from './trainDemoVlm';
import type { JobRunContext, JobRunner } from './types';

let threadsReady: Promise<number> | null = null;

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

	const trainer = await Trainer.create({
		model: config.model as 'nano' | 'micro',
		tuner: tunerOf(config),
		loss: lossOf(config),
		args: trainingArgumentsOf(config),
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
				const metrics = toTrainMetrics(log, total, lastElapsed);
				lastElapsed = metrics.elapsed_ms;
				report(context, metrics.step / total, { kind: 'metrics', metrics });
				const line = metricsLogLine(metrics, total);
				if (line) context.log(line);
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
