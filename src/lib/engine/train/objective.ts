// One micro-batch through the model and its loss, with the backward when training. The gradient
// is seeded with `weight` (this micro-batch's share of the whole update's tokens or pairs), so an
// update accumulated over micro-batches equals one over the union: a token-weighted mean.

import { backward, beginStep, noGrad } from '../autograd/tape';
import { IGNORE_INDEX } from '../autograd/ops/index';
import { preferenceLoss, type PreferenceConfig } from '../losses/preference';
import { sftLoss, tokenAccuracy } from '../losses/sft';
import type { TrainableModel } from './trainableModel';
import { hostScalar, sequenceLogProbs } from '../autograd/ops/logProbs';
import { fromArray } from '../tensor/create';
import type { MicroBatch } from './batches';
import type { LossConfig } from './config';

export interface MicroResult {
	/** Mean loss of this micro-batch. */
	loss: number;
	/** Positions scored for token_acc and how many were right. */
	tokens: number;
	correct: number;
	/** Preference metrics (rewards/..., logps/...), means over this micro-batch's pairs. */
	metrics: Record<string, number>;
}

function sft(model: TrainableModel, b: MicroBatch, weight: number | null): MicroResult {
	const { logits, labels } = model.trainedLogits(b);
	const r = sftLoss(logits, labels);
	if (weight !== null && r.tokens > 0) backward(r.loss, [weight]);
	return { loss: r.loss.item(), tokens: r.tokens, correct: r.correct, metrics: {} };
}

function preference(model: TrainableModel, b: MicroBatch, config: PreferenceConfig, weight: number | null): MicroResult {
	const n = b.pairs as number;
	const T = b.seqLength;
	const labels = fromArray(b.labels, [b.batchSize, T], { dtype: 'i32' });
	const lengths = Array.from({ length: 2 * n }, (_, row) => b.labels.subarray(row * T, (row + 1) * T).filter((l) => l !== IGNORE_INDEX).length);
	// The reference is the same model with its adapters off (no second copy of the weights), or
	// for full fine-tuning the starting model's log-probabilities, computed before training.
	const reference = config.rlhf_type !== 'dpo' ? undefined : b.reference ?? noGrad(() => model.decoder.withAdaptersDisabled(() => sequenceLogProbs(model.logits(b), labels).toArray()));
	const logits = model.logits(b);
	const logps = sequenceLogProbs(logits, labels);
	const result = preferenceLoss(config, logps.toArray(), lengths, reference);
	const loss = hostScalar(logps, () => result);
	if (weight !== null) backward(loss, [weight]);
	// token_acc over the chosen responses, as ms-swift reports it for RLHF runs.
	const chosenLabels = b.labels.map((l, i) => (i < n * T ? l : IGNORE_INDEX));
	const acc = tokenAccuracy(logits, chosenLabels);
	return { loss: result.value, ...acc, metrics: result.metrics };
}

/** weight null: evaluation (no graph, no backward, no dropout). */
export function runMicroBatch(model: TrainableModel, b: MicroBatch, loss: LossConfig, weight: number | null, seed: number): MicroResult {
	beginStep();
	const training = weight !== null;
	model.decoder.adapterStep = { enabled: true, training, seed };
	const run = () => (loss.rlhf_type ? preference(model, b, loss, weight) : sft(model, b, weight));
	return training ? run() : noGrad(run);
}
