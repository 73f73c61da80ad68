import { IGNORE_INDEX, PAD_ID } from '../tokenizer/specialTokens';
import { assertAligned, writeNextTokenLabels, type TokenizedSample } from './tokenizedSample';

/** A padded batch, every array row-major [batchSize, seqLength]. */
export interface Batch {
	batchSize: number;
	seqLength: number;
	inputIds: Int32Array;
	/** 1 for real tokens, 0 for padding. */
	attentionMask: Uint8Array;
	positionIds: Int32Array;
	/** Target for each position, already shifted (see tokenizedSample.ts); IGNORE_INDEX on padding. */
	nextTokenLabels: Int32Array;
	/** Real length of each row. */
	lengths: Int32Array;
	/** Positions that contribute to the loss, for token-averaged losses and token_acc. */
	trainableTokens: number;
}

export interface CollateOptions {
	padTokenId?: number;
	/** Round the padded length up to a multiple of this (keeps kernel shapes few and aligned). */
	padToMultipleOf?: number;
}

/** Pads samples on the right to the longest one. */
export function collateBatch(samples: readonly TokenizedSample[], options: CollateOptions = {}): Batch {
	if (samples.length === 0) throw new RangeError('cannot collate an empty batch');
	samples.forEach(assertAligned);
	const multiple = options.padToMultipleOf ?? 1;
	const longest = Math.max(...samples.map((sample) => sample.inputIds.length));
	const seqLength = Math.max(1, Math.ceil(longest / multiple) * multiple);
	const size = samples.length * seqLength;
	const batch: Batch = {
		batchSize: samples.length,
		seqLength,
		inputIds: new Int32Array(size).fill(options.padTokenId ?? PAD_ID),
		attentionMask: new Uint8Array(size),
		positionIds: new Int32Array(size),
		nextTokenLabels: new Int32Array(size).fill(IGNORE_INDEX),
		lengths: new Int32Array(samples.length),
		trainableTokens: 0
	};
	samples.forEach((sample, row) => {
		const offset = row * seqLength;
		const length = sample.inputIds.length;
		batch.lengths[row] = length;
		for (let t = 0; t < length; t++) {
			batch.inputIds[offset + t] = sample.inputIds[t];
			batch.attentionMask[offset + t] = 1;
			batch.positionIds[offset + t] = t;
		}
		writeNextTokenLabels(sample, batch.nextTokenLabels, offset);
	});
	batch.trainableTokens = batch.nextTokenLabels.reduce((n, label) => n + (label === IGNORE_INDEX ? 0 : 1), 0);
	return batch;
}
