// Micro-batches the model consumes: token ids, shifted next-token labels, and for packed rows the
// segments that keep samples apart. Preference micro-batches stack [chosen..., rejected...].

import { collateBatch } from '../data/collate';
import { packSamples, segmentBoundaries } from '../data/packing';
import type { TokenizedSample } from '../data/tokenizedSample';
import type { Segment } from '../autograd/ops/segments';
import { IGNORE_INDEX, PAD_ID } from '../tokenizer/specialTokens';
import type { PreferencePair } from './samples';
import type { MultimodalInput } from '../models/multimodal/model';

export interface MicroBatch {
	batchSize: number;
	seqLength: number;
	/** (B * T) */
	inputIds: Int32Array;
	/** (B * T) next-token targets, IGNORE_INDEX where untrained */
	labels: Int32Array;
	segments?: Segment[];
	/** Non-padding tokens (throughput). */
	tokens: number;
	/** Positions with a label (SFT loss weighting). */
	trainedTokens: number;
	/** Preference batches: number of pairs (rows [0, n) chosen, [n, 2n) rejected). */
	pairs?: number;
	/** DPO with no adapters: reference log-probabilities computed before training, laid out like the rows. */
	reference?: Float64Array;
	/** Multimodal rows: tower inputs by kind and the positions their features replace. */
	media?: MultimodalInput['media'];
}

function trained(labels: Int32Array): number {
	let n = 0;
	for (const l of labels) if (l !== IGNORE_INDEX) n++;
	return n;
}

export function sftBatch(samples: readonly TokenizedSample[]): MicroBatch {
	const b = collateBatch(samples);
	return {
		batchSize: b.batchSize,
		seqLength: b.seqLength,
		inputIds: b.inputIds,
		labels: b.nextTokenLabels,
		tokens: samples.reduce((s, x) => s + x.inputIds.length, 0),
		trainedTokens: b.trainableTokens
	};
}

export function preferenceBatch(pairs: readonly PreferencePair[]): MicroBatch {
	const b = sftBatch([...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)]);
	return { ...b, pairs: pairs.length };
}

/**
 * Packs the whole dataset once into rows of at most maxLength (deterministic, so a resumed run packs
 * identically); the rows then play the part of samples.
 */
export interface PackedItem {
	inputIds: Int32Array;
	labels: Int32Array;
	/** lengths of the samples in the row, in order */
	lengths: number[];
}

export function packDataset(samples: readonly TokenizedSample[], maxLength: number): PackedItem[] {
	return packSamples(samples, { maxLength, padToMaxLength: false }).map((row) => {
		const bounds = segmentBoundaries(row);
		return { inputIds: row.inputIds, labels: row.nextTokenLabels, lengths: bounds.slice(1).map((b, i) => b - bounds[i]) };
	});
}

/** Packed rows padded to the longest; the padding tail of a row is a segment of its own. */
export function packedBatch(items: readonly PackedItem[]): MicroBatch {
	const T = Math.max(...items.map((x) => x.inputIds.length));
	const B = items.length;
	const inputIds = new Int32Array(B * T).fill(PAD_ID);
	const labels = new Int32Array(B * T).fill(IGNORE_INDEX);
	const segments: Segment[] = [];
	let tokens = 0;
	items.forEach((item, row) => {
		inputIds.set(item.inputIds, row * T);
		labels.set(item.labels, row * T);
		let start = 0;
		for (const length of item.lengths) {
			segments.push({ row, start, length });
			start += length;
		}
		tokens += start;
		if (start < T) segments.push({ row, start, length: T - start });
	});
	return { batchSize: B, seqLength: T, inputIds, labels, segments, tokens, trainedTokens: trained(labels) };
}
