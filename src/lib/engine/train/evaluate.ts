// Evaluation over the validation batches: eval_loss (token-weighted for SFT, pair-weighted for
// preference losses), eval_token_acc, and for preference runs the eval_ reward metrics.

import type { TrainableModel } from './trainableModel';
import type { MicroBatch } from './batches';
import type { LossConfig } from './config';
import { runMicroBatch } from './objective';

export function evaluate(model: TrainableModel, batches: readonly MicroBatch[], loss: LossConfig): Record<string, number> {
	const started = performance.now();
	let weighted = 0;
	let weight = 0;
	let tokens = 0;
	let correct = 0;
	let samples = 0;
	const metrics: Record<string, number> = {};
	for (const b of batches) {
		const r = runMicroBatch(model, b, loss, null, 0);
		const w = b.pairs ?? b.trainedTokens;
		weighted += r.loss * w;
		weight += w;
		tokens += r.tokens;
		correct += r.correct;
		samples += b.pairs ?? b.batchSize;
		for (const [k, v] of Object.entries(r.metrics)) metrics[`eval_${k}`] = (metrics[`eval_${k}`] ?? 0) + v * w;
	}
	const ms = performance.now() - started;
	for (const k of Object.keys(metrics)) metrics[k] /= weight || 1;
	return {
		eval_loss: weight ? weighted / weight : 0,
		eval_token_acc: tokens ? correct / tokens : 0,
		eval_runtime: ms / 1000,
		eval_samples_per_second: samples / (ms / 1000),
		...metrics
	};
}
