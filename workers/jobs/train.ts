// The `train` job: one runner for every built-in run, text or multimodal. It reads the run's rows,
// hands them to the engine's Trainer with the device worker's media loaders, and reports every
// logging step, evaluation and checkpoint; a stop request ends the run at a checkpoint. A
// multimodal run with demo questions among its validation rows ends with held-out accuracy per
// question type (`eval_acc/<type>`).

import path from 'node:path';
import { initThreads } from '../../src/lib/engine/index';
import { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { Trainer, type TrainRow } from '../../src/lib/engine/train/index';
import { trainerInputsOf } from '../../src/lib/shared/run/trainerInputs';
import { runConfigSchema, type RunConfig } from '../../src/lib/shared/run/runConfig';
import { trainJobPayloadSchema, type TrainJobPayload } from '../../src/lib/shared/run/runRecord';
import { readRunRows, splitRows } from './datasetRows';
import { heldOutAccuracy } from './demoAccuracy';
import { mediaLoaders } from './mediaLoaders';
import { modelSourceOf } from './trainerOptions';
import { metricsLogLine, toTrainMetrics } from './trainMetrics';
import type { JobOutcome, JobRunContext, JobRunner } from './types';

let threadsReady: Promise<number> | null = null;

async function runRows(job: TrainJobPayload, config: RunConfig): Promise<{ train: TrainRow[]; val: TrainRow[] }> {
	const rows = await readRunRows(job.datasetPath);
	if (job.valDatasetPath) return { train: rows, val: await readRunRows(job.valDatasetPath) };
	return splitRows(rows, config.split_dataset_ratio, config.seed);
}

function describeStart(job: TrainJobPayload, config: RunConfig, total: number, startStep: number): string {
	if (job.resumeFrom) return `Resuming from ${path.basename(job.resumeFrom)} at step ${startStep} of ${total}.`;
	const base = job.modelDir ? `${config.model} (${job.modelDir})` : config.model;
	return `Training ${base} (${config.tuner_type}${config.use_dora ? ', DoRA' : ''}${config.quant_bits ? `, ${config.quant_bits}-bit base` : ''}) for ${total} steps.`;
}

/** Scores the held-out demo questions with the trained model and reports them as one metrics entry. */
async function reportAccuracy(trainer: Trainer, val: readonly TrainRow[], context: JobRunContext, elapsedMs: number): Promise<void> {
	const model = trainer.model.model;
	if (!(model instanceof MultimodalModel) || !trainer.mediaCache) return;
	context.log('Scoring held-out answers per question type…');
	const accuracy = await heldOutAccuracy(model, trainer.mediaCache, val);
	if (Object.keys(accuracy).length === 0) return;
	const step = trainer.state.global_step;
	const metrics: Record<string, number> = { step, epoch: trainer.state.epoch, elapsed_ms: elapsedMs, max_steps: trainer.totalSteps };
	for (const [type, value] of Object.entries(accuracy)) {
		metrics[`eval_acc/${type}`] = value;
		context.log(`held-out accuracy ${type}: ${(value * 100).toFixed(1)}%`);
	}
	context.progress(1, { kind: 'metrics', metrics });
}

/** Trains a run with the built-in engine, reporting every logging step, checkpoint and the outcome. */
export const runTrain: JobRunner = async (payload, context): Promise<JobOutcome> => {
	const job = trainJobPayloadSchema.parse(payload);
	const config = runConfigSchema.parse(job.config);
	threadsReady ??= initThreads();
	await threadsReady;

	const { train, val } = await runRows(job, config);
	context.log(`Loaded ${train.length} training rows and ${val.length} validation rows from ${path.basename(path.dirname(job.datasetPath))}; decoding their media once.`);
	const trainer = await Trainer.create({
		...trainerInputsOf(config),
		model: modelSourceOf(job, config),
		train,
		val,
		outputDir: job.runDir,
		resumeFromCheckpoint: job.resumeFrom ?? undefined,
		// Rows carry absolute media paths; the folder only resolves what a row names some other way.
		media: { loaders: mediaLoaders, baseDir: path.dirname(job.datasetPath) }
	});
	try {
		const total = trainer.totalSteps;
		const startStep = trainer.state.global_step;
		context.progress(startStep / total, { kind: 'plan', maxSteps: total, startStep });
		context.log(describeStart(job, config, total, startStep));
		let lastElapsed = 0;
		const result = await trainer.run({
			onLog: (log) => {
				const metrics = toTrainMetrics(log, total, lastElapsed);
				lastElapsed = metrics.elapsed_ms;
				context.progress(metrics.step / total, { kind: 'metrics', metrics });
				const line = metricsLogLine(metrics, total);
				if (line) context.log(line);
			},
			onCheckpoint: (checkpoint) => {
				const step = Number(/checkpoint-(\d+)$/.exec(checkpoint)?.[1] ?? trainer.state.global_step);
				context.progress(step / total, { kind: 'checkpoint', step, path: checkpoint });
				context.log(`Saved ${path.basename(checkpoint)}.`);
			},
			shouldStop: () => context.stopRequested
		});
		if (result.status === 'stopped') {
			context.log(`Stopped at step ${result.globalStep}.`);
			return { status: 'stopped', result: { globalStep: result.globalStep, lastCheckpoint: result.lastCheckpoint } };
		}
		context.log(`Finished after ${result.globalStep} steps.`);
		if (val.length > 0) await reportAccuracy(trainer, val, context, lastElapsed);
		return { status: 'succeeded', result: { globalStep: result.globalStep, lastCheckpoint: result.lastCheckpoint } };
	} finally {
		trainer.dispose();
	}
};
