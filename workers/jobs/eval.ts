// The `eval` job: loads a saved model, picks the rows to ask (the server's validation rows, or a run's
// own held-out split), answers them greedily a batch at a time, and reports each batch's predictions
// with the reference log-probabilities where the model is a built-in multimodal one. Scoring is the
// server's: the runner only generates. A stop request ends it between batches.

import path from 'node:path';
import { initThreads } from '../../src/lib/engine/index';
import { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { loadSavedModel } from '../../src/lib/engine/models/saved';
import type { ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import { evalJobPayloadSchema, type EvalProgress } from '../../src/lib/shared/evalJob';
import { readDatasetRows, withAbsoluteMedia } from './datasetRows';
import { multimodalAnswers, textAnswers } from './evalDecode';
import { predictionOf, selectRows, type Answer } from './evalRows';
import { mediaLoaders } from './mediaLoaders';
import type { JobOutcome, JobRunner } from './types';

let threadsReady: Promise<number> | null = null;

export const runEval: JobRunner = async (payload, context): Promise<JobOutcome> => {
	const job = evalJobPayloadSchema.parse(payload);
	threadsReady ??= initThreads();
	await threadsReady;
	const rows = withAbsoluteMedia(await readDatasetRows(job.datasetPath), path.dirname(job.datasetPath));
	const chosen = selectRows(rows, job.selection, job.limit).filter((item) => item.data.messages.some((m) => m.role === 'user'));
	const report = (data: EvalProgress, fraction: number) => context.progress(fraction, data);
	report({ kind: 'plan', total: chosen.length }, 0);
	context.log(`Loading the model; ${chosen.length} samples to answer, ${job.batchSize} per batch.`);
	const model = await loadSavedModel(job.modelDir);
	const cache = model instanceof MultimodalModel ? new MediaFeatureCache(model.config, mediaLoaders) : null;
	const started = performance.now();
	let done = 0;
	for (let at = 0; at < chosen.length; at += job.batchSize) {
		if (context.stopRequested) {
			context.log(`Stopped after ${done} of ${chosen.length} samples.`);
			return { status: 'stopped', result: { done } };
		}
		const batch = chosen.slice(at, at + job.batchSize);
		const t0 = performance.now();
		const batchRows = batch.map((b) => b.data as ChatRow);
		let answers: Answer[];
		let logProbs: (number[] | null)[] = batch.map(() => null);
		if (model instanceof MultimodalModel && cache) {
			({ answers, logProbs } = await multimodalAnswers(model, cache, batchRows, job.maxNewTokens, job.batchSize));
		} else if (model instanceof LlamaModel) {
			answers = textAnswers(model, batchRows, job.maxNewTokens);
		} else throw new Error('the eval runner knows no such model');
		// Latency per sample: a batch answers together, so each of its samples took the batch's time.
		const latency = performance.now() - t0;
		done += batch.length;
		report({ kind: 'predictions', done, total: chosen.length, predictions: batch.map((item, i) => predictionOf(item, answers[i], logProbs[i], latency)) }, done / Math.max(1, chosen.length));
	}
	const seconds = (performance.now() - started) / 1000;
	context.log(`Answered ${done} samples in ${seconds.toFixed(1)} s.`);
	return { status: 'succeeded', result: { done, seconds } };
};
