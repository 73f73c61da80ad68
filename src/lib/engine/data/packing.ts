import { IGNORE_INDEX, PAD_ID } from '../tokenizer/specialTokens';
import { assignFirstFit } from './firstFitBins';
import { assertAligned, writeNextTokenLabels, type TokenizedSample } from './tokenizedSample';

/**
 * Packing puts several short samples into one row of maxLength so no compute is spent on padding
 * (ms-swift `--packing`). Each sample keeps its own positions (restarting at 0) and a segment id; the
 * attention must only connect tokens of the same segment, which `attentionAllowed` defines.
 */
export interface PackedRow {
	inputIds: Int32Array;
	/** Position within the sample, restarting at 0 for each sample; 0 on padding. */
	positionIds: Int32Array;
	/** 1, 2, ... for the samples in the row, in order; 0 marks padding. */
	segmentIds: Int32Array;
	/** Next-token targets shifted within each sample; IGNORE_INDEX at sample ends and on padding. */
	nextTokenLabels: Int32Array;
	/** Indices (into the input list) of the samples in this row, in row order. */
	sampleIndices: number[];
	/** Tokens that belong to samples; the rest of the row is padding. */
	usedLength: number;
}

export interface PackingOptions {
	maxLength: number;
	padTokenId?: number;
	/** Pad every row to maxLength (fixed shapes) instead of ending it after its last sample. */
	padToMaxLength?: boolean;
}

/**
 * Packs samples greedily, longest first, each into the first row with room (first-fit decreasing).
 * The result depends only on the input, so a resumed run packs identically. Every token is kept: a
 * sample longer than maxLength is an error (truncate it when rendering instead).
 */
export function packSamples(samples: readonly TokenizedSample[], options: PackingOptions): PackedRow[] {
	const { maxLength } = options;
	if (!Number.isInteger(maxLength) || maxLength < 1) {
		throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
	}
	samples.forEach((sample, index) => {
		assertAligned(sample, index);
		if (sample.inputIds.length === 0) throw new RangeError(`sample ${index} is empty`);
		if (sample.inputIds.length > maxLength) {
			throw new RangeError(`sample ${index} has ${sample.inputIds.length} tokens, more than maxLength ${maxLength}`);
		}
	});
	const longestFirst = samples
		.map((sample, index) => ({ index, length: sample.inputIds.length }))
		.sort((a, b) => b.length - a.length || a.index - b.index);
	const bins = assignFirstFit(
		longestFirst.map((entry) => entry.length),
		maxLength
	);
	return bins.map((bin) => {
		const sampleIndices = bin.map((slot) => longestFirst[slot].index).sort((a, b) => a - b);
		return buildRow(samples, sampleIndices, options);
	});
}

function buildRow(samples: readonly TokenizedSample[], sampleIndices: number[], options: PackingOptions): PackedRow {
	const usedLength = sampleIndices.reduce((sum, index) => sum + samples[index].inputIds.length, 0);
	const length = options.padToMaxLength === false ? usedLength : options.maxLength;
	const row: PackedRow = {
		inputIds: new Int32Array(length).fill(options.padTokenId ?? PAD_ID),
		positionIds: new Int32Array(length),
		segmentIds: new Int32Array(length),
		nextTokenLabels: new Int32Array(length).fill(IGNORE_INDEX),
		sampleIndices,
		usedLength
	};
	let offset = 0;
	sampleIndices.forEach((sampleIndex, k) => {
		const sample = samples[sampleIndex];
		for (let t = 0; t < sample.inputIds.length; t++) {
			row.inputIds[offset + t] = sample.inputIds[t];
			row.positionIds[offset + t] = t;
			row.segmentIds[offset + t] = k + 1;
		}
		writeNextTokenLabels(sample, row.nextTokenLabels, offset);
		offset += sample.inputIds.length;
	});
	return row;
}

/** Causal attention inside one segment: query attends key only if both are in the same sample. */
export function attentionAllowed(segmentIds: ArrayLike<number>, query: number, key: number): boolean {
	return key <= query && segmentIds[query] !== 0 && segmentIds[query] === segmentIds[key];
}

/** Start offsets of each segment plus the end of the last one (the cu_seqlens of varlen attention). */
export function segmentBoundaries(row: PackedRow): number[] {
	const boundaries = [0];
	for (let t = 1; t <= row.usedLength; t++) {
		if (t === row.usedLength || row.segmentIds[t] !== row.segmentIds[t - 1]) boundaries.push(t);
	}
	return boundaries;
}
