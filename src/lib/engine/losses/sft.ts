// SFT loss: cross-entropy of next-token predictions over the trained (assistant) positions, and
// token accuracy (ms-swift's `token_acc`): the share of those positions where argmax is the label.

import { crossEntropy, IGNORE_INDEX } from '../autograd/ops/index';
import { fromArray } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

export interface SftLoss {
	/** Mean over trained positions (one element, differentiable). */
	loss: Tensor;
	/** Trained positions in this batch. */
	tokens: number;
	/** Of those, positions whose argmax equals the label. */
	correct: number;
}

/** logits (B, T, V); labels (B * T) next-token targets, IGNORE_INDEX where untrained. */
export function sftLoss(logits: Tensor, labels: Int32Array): SftLoss {
	const loss = crossEntropy(logits, fromArray(labels, [labels.length], { dtype: 'i32' }), IGNORE_INDEX);
	const { tokens, correct } = tokenAccuracy(logits, labels);
	return { loss, tokens, correct };
}

export function tokenAccuracy(logits: Tensor, labels: Int32Array): { tokens: number; correct: number } {
	const V = logits.shape[logits.shape.length - 1];
	const values = logits.f32();
	let tokens = 0;
	let correct = 0;
	for (let r = 0; r < labels.length; r++) {
		if (labels[r] === IGNORE_INDEX) continue;
		tokens++;
		let best = 0;
		for (let i = 1; i < V; i++) if (values[r * V + i] > values[r * V + best]) best = i;
		if (best === labels[r]) correct++;
	}
	return { tokens, correct };
}
