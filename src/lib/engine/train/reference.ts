// DPO's reference log-probabilities when there are no adapters to switch off (full fine-tuning):
// the reference is the model as the run starts, so each pair's reference log-probabilities are
// computed once, before the first update, instead of keeping a second copy of the weights. A
// resumed run rebuilds the starting model first, so it computes the same numbers.

import { beginStep, noGrad } from '../autograd/tape';
import type { LlamaModel } from '../models/llama/model';
import { sequenceLogProbs } from '../autograd/ops/logProbs';
import { fromArray } from '../tensor/create';
import { preferenceBatch, type MicroBatch } from './batches';
import type { PreferencePair } from './samples';

/** [chosen, rejected] summed log-probabilities per pair, under the model as it is now. */
export function referenceLogProbs(model: LlamaModel, pairs: readonly PreferencePair[], batchSize: number): [number, number][] {
	const out: [number, number][] = [];
	model.adapterStep = { enabled: true, training: false, seed: 0 };
	for (let i = 0; i < pairs.length; i += batchSize) {
		const b = preferenceBatch(pairs.slice(i, i + batchSize));
		const n = b.pairs as number;
		const lp = noGrad(() => {
			beginStep();
			const logits = model.forward({ inputIds: b.inputIds, batchSize: b.batchSize, seqLength: b.seqLength });
			return sequenceLogProbs(logits, fromArray(b.labels, [b.batchSize, b.seqLength], { dtype: 'i32' })).toArray();
		});
		for (let k = 0; k < n; k++) out.push([lp[k], lp[n + k]]);
	}
	return out;
}

/** A preference micro-batch carrying its pairs' precomputed reference, laid out like logps. */
export function preferenceBatchWithReference(pairs: readonly PreferencePair[], refs: readonly [number, number][]): MicroBatch {
	const b = preferenceBatch(pairs);
	return { ...b, reference: Float64Array.from([...refs.map((r) => r[0]), ...refs.map((r) => r[1])]) };
}
