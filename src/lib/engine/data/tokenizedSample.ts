import { IGNORE_INDEX } from '../tokenizer/specialTokens';

/** One rendered training example: ids and labels aligned position by position (HF convention). */
export interface TokenizedSample {
	inputIds: ArrayLike<number>;
	/** labels[i] is the id at position i when trained, IGNORE_INDEX (-100) otherwise. */
	labels: ArrayLike<number>;
}

export function assertAligned(sample: TokenizedSample, index: number): void {
	if (sample.inputIds.length !== sample.labels.length) {
		throw new RangeError(
			`sample ${index} has ${sample.inputIds.length} input ids but ${sample.labels.length} labels`
		);
	}
}

/**
 * Writes the next-token targets of one sample into `out` at `offset`: out[t] = labels[t + 1], and
 * IGNORE_INDEX at the sample's last position. Shifting per sample (not per packed row) is what keeps the
 * last token of one sample from being trained to predict the first token of the next.
 */
export function writeNextTokenLabels(sample: TokenizedSample, out: Int32Array, offset: number): void {
	const length = sample.labels.length;
	for (let t = 0; t < length - 1; t++) out[offset + t] = sample.labels[t + 1];
	if (length > 0) out[offset + length - 1] = IGNORE_INDEX;
}
