// From rows to what the loop reads: the training items (samples, packed rows or preference pairs)
// addressed by index, a builder of micro-batches from indices, and the validation batches.

import type { TunedModel } from '../tuners/apply';
import { packDataset, packedBatch, preferenceBatch, sftBatch, type MicroBatch } from './batches';
import type { LossConfig, ResolvedArguments, TrainRow } from './config';
import { preferenceBatchWithReference, referenceLogProbs } from './reference';
import { renderPreferenceRows, renderSftRows } from './samples';

export interface PreparedData {
	/** Training items (samples, packed rows or pairs). */
	size: number;
	/** The micro-batch of the items at these indices. */
	batch(indices: number[]): MicroBatch;
	valBatches: MicroBatch[];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

function preferenceData(train: readonly TrainRow[], val: readonly TrainRow[], a: ResolvedArguments, loss: LossConfig, tuned: TunedModel): PreparedData {
	const pairs = renderPreferenceRows(train, a.max_length, a.truncation_strategy);
	const valPairs = renderPreferenceRows(val, a.max_length, a.truncation_strategy);
	const eb = a.per_device_eval_batch_size;
	if (loss.rlhf_type === 'dpo' && tuned.adapted.length === 0) {
		// Full fine-tuning: no adapters to switch off, so the reference is computed up front.
		const refs = referenceLogProbs(tuned.model, pairs, eb);
		const valRefs = referenceLogProbs(tuned.model, valPairs, eb);
		const valIx = chunks(valPairs.map((_, i) => i), eb);
		return {
			size: pairs.length,
			batch: (ix) => preferenceBatchWithReference(ix.map((i) => pairs[i]), ix.map((i) => refs[i])),
			valBatches: valIx.map((ix) => preferenceBatchWithReference(ix.map((i) => valPairs[i]), ix.map((i) => valRefs[i])))
		};
	}
	return { size: pairs.length, batch: (ix) => preferenceBatch(ix.map((i) => pairs[i])), valBatches: chunks(valPairs, eb).map(preferenceBatch) };
}

export function prepareData(train: readonly TrainRow[], val: readonly TrainRow[], a: ResolvedArguments, loss: LossConfig, tuned: TunedModel): PreparedData {
	if (loss.rlhf_type) {
		if (a.packing) throw new Error('packing is for SFT; preference pairs are batched unpacked');
		return preferenceData(train, val, a, loss, tuned);
	}
	const samples = renderSftRows(train, a.max_length, a.truncation_strategy);
	const valSamples = renderSftRows(val, a.max_length, a.truncation_strategy);
	const eb = a.per_device_eval_batch_size;
	if (a.packing) {
		// Packed once, deterministically: a resumed run sees the same rows.
		const rows = packDataset(samples, a.max_length);
		const valRows = valSamples.length > 0 ? packDataset(valSamples, a.max_length) : [];
		return { size: rows.length, batch: (ix) => packedBatch(ix.map((i) => rows[i])), valBatches: chunks(valRows, eb).map(packedBatch) };
	}
	return { size: samples.length, batch: (ix) => sftBatch(ix.map((i) => samples[i])), valBatches: chunks(valSamples, eb).map(sftBatch) };
}
