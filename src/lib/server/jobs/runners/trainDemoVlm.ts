import path from 'node:path';
import { answerDemoRows, readJsonlRows, trainDemoVlm } from '../../../engine/models/multimodal/index';
import type { RunConfig } from '../../../shared/run/runConfig';
import type { TrainJobPayload } from '../../../shared/run/runRecord';
import { demoQuestionTypeOf, scoreDemoAnswer } from '../../demo/questionTypes';
import { engineMediaLoaders } from '../../media/index';
import type { JobOutcome, JobRunContext } from './types';

/** Held-out accuracy per demo question type, e.g. `{ image_shape: 0.95, audio_count: 0.9 }`. */
async function evaluate(vlm: Parameters<typeof answerDemoRows>[0], valFile: string): Promise<Record<string, number>> {
	const rows = await readJsonlRows(valFile);
	const answers = await answerDemoRows(vlm, rows, path.dirname(valFile));
	const tally = new Map<string, { right: number; total: number }>();
	rows.forEach((row, i) => {
		const question = row.messages.find((m) => m.role === 'user')?.content ?? '';
		const expected = row.messages.find((m) => m.role === 'assistant')?.content ?? '';
		const type = demoQuestionTypeOf(question) ?? 'other';
		const entry = tally.get(type) ?? { right: 0, total: 0 };
		entry.total++;
		if (scoreDemoAnswer(expected, answers[i] ?? '')) entry.right++;
		tally.set(type, entry);
	});
	return Object.fromEntries([...tally].map(([type, { right, total }]) => [type, right / total]));
}

/**
 * Trains the multimodal demo preset from scratch on the run's dataset through the engine's Trainer
 * (checkpoints in the run folder, so a stopped run resumes), streaming metrics, then scores held-out
 * answers per question type.
 */
export async function runDemoVlm(job: TrainJobPayload, config: RunConfig, context: JobRunContext): Promise<JobOutcome> {
	const rows = await readJsonlRows(job.datasetPath);
	const total = Math.ceil(rows.length / config.per_device_train_batch_size) * Math.ceil(config.num_train_epochs);
	const maxSteps = config.max_steps > 0 ? Math.min(config.max_steps, total) : total;
	context.progress(0, { kind: 'plan', maxSteps, startStep: 0 });
	context.log(`Preparing the media of ${rows.length} rows for demo-vlm (images, audio and video are decoded once).`);
	const started = performance.now();
	const vlm = await trainDemoVlm({
		trainFile: job.datasetPath,
		loaders: engineMediaLoaders,
		outputDir: job.runDir,
		resumeFromCheckpoint: job.resumeFrom ?? undefined,
		preset: {
			max_steps: config.max_steps,
			max_length: config.max_length,
			learning_rate: config.learning_rate,
			num_train_epochs: config.num_train_epochs,
			per_device_train_batch_size: config.per_device_train_batch_size,
			lr_scheduler_type: config.lr_scheduler_type,
			warmup_ratio: config.warmup_ratio,
			weight_decay: config.weight_decay,
			max_grad_norm: config.max_grad_norm,
			logging_steps: config.logging_steps,
			seed: config.seed,
			tuner: { tuner_type: 'full', freeze_llm: config.freeze_llm, freeze_vit: config.freeze_vit, freeze_aligner: config.freeze_aligner }
		},
		callbacks: {
			onLog: (log) => {
				const elapsed = performance.now() - started;
				const step = Number(log.step);
				const remaining = step > 0 ? (elapsed / step) * Math.max(0, maxSteps - step) : undefined;
				const metrics = { ...log, max_steps: maxSteps, elapsed_ms: elapsed, remaining_ms: remaining };
				context.progress(step / maxSteps, { kind: 'metrics', metrics });
				if (typeof log.loss === 'number') context.log(`step ${log.step}/${maxSteps} loss ${log.loss.toFixed(4)} token_acc ${Number(log.token_acc).toFixed(3)}`);
			},
			shouldStop: () => context.stopRequested
		}
	});
	const step = vlm.result.globalStep;
	if (vlm.result.status === 'stopped') {
		context.log(`Stopped at step ${step}.`);
		return { status: 'stopped', result: { globalStep: step } };
	}
	if (job.valDatasetPath) {
		context.log('Scoring held-out answers per question type…');
		const accuracy = await evaluate(vlm, job.valDatasetPath);
		const metrics: Record<string, number> = { step, epoch: config.num_train_epochs, elapsed_ms: performance.now() - started };
		for (const [type, value] of Object.entries(accuracy)) {
			metrics[`eval_acc/${type}`] = value;
			context.log(`held-out accuracy ${type}: ${(value * 100).toFixed(1)}%`);
		}
		context.progress(1, { kind: 'metrics', metrics });
	}
	return { status: 'succeeded', result: { globalStep: step } };
}
