import { answerTokens, normaliseAnswer } from './text';

/**
 * Exact match and normalised accuracy of a prediction against one or more references; a sample scores 1
 * when it matches any reference (SQuAD's max over golds).
 */

export const EXACT_MATCH_CONVENTION = 'exact match: identical strings after trimming surrounding whitespace; max over references';
export const NORMALISED_ACCURACY_CONVENTION =
	'SQuAD-normalised match: NFKC, lower case, ASCII and Unicode punctuation (incl. Chinese ，。！？、；：“”‘’（）《》) removed, English articles removed, whitespace collapsed; max over references';
export const TOKEN_F1_CONVENTION = 'SQuAD token F1 over normalised words, CJK one token per character; max over references';

function requireReferences(references: readonly string[]): void {
	if (references.length === 0) throw new RangeError('a sample needs at least one reference');
}

/** 1 when the prediction equals a reference once surrounding whitespace is trimmed, else 0. */
export function exactMatch(prediction: string, references: readonly string[]): number {
	requireReferences(references);
	const trimmed = prediction.trim();
	return references.some((reference) => reference.trim() === trimmed) ? 1 : 0;
}

/** 1 when the SQuAD-normalised prediction equals a normalised reference, else 0 (see `normaliseAnswer`). */
export function normalisedAccuracy(prediction: string, references: readonly string[]): number {
	requireReferences(references);
	const normalised = normaliseAnswer(prediction);
	return references.some((reference) => normaliseAnswer(reference) === normalised) ? 1 : 0;
}

function f1Against(predictionTokens: readonly string[], referenceTokens: readonly string[]): number {
	// SQuAD 2.0: an empty answer scores 1 only against an empty gold.
	if (predictionTokens.length === 0 || referenceTokens.length === 0) return predictionTokens.length === referenceTokens.length ? 1 : 0;
	const available = new Map<string, number>();
	for (const token of referenceTokens) available.set(token, (available.get(token) ?? 0) + 1);
	let common = 0;
	for (const token of predictionTokens) {
		const left = available.get(token) ?? 0;
		if (left > 0) {
			common++;
			available.set(token, left - 1);
		}
	}
	if (common === 0) return 0;
	const precision = common / predictionTokens.length;
	const recall = common / referenceTokens.length;
	return (2 * precision * recall) / (precision + recall);
}

/** SQuAD token F1: harmonic mean of token precision and recall over the bag of normalised tokens. */
export function tokenF1(prediction: string, references: readonly string[]): number {
	requireReferences(references);
	const predictionTokens = answerTokens(prediction);
	return Math.max(...references.map((reference) => f1Against(predictionTokens, answerTokens(reference))));
}
