import { rougeTokens } from './text';

/**
 * ROUGE-L as Google's rouge-score computes it (`RougeScorer(['rougeL'])`, no stemming): precision and recall
 * of the longest common subsequence of tokens, F-measure their harmonic mean, all 0 when either side has no
 * tokens. The one difference is the tokeniser: rouge-score keeps only [a-z0-9] runs and so scores Chinese as
 * empty; here each CJK character is a token (see `rougeTokens`).
 */

export const ROUGE_L_CONVENTION = 'rouge-score ROUGE-L F-measure (LCS, lower case, [a-z0-9] words, no stemming) with CJK one token per character';
export const ROUGE_L_RECALL_CONVENTION = 'rouge-score ROUGE-L recall (EvalScope general_qa main score) with CJK one token per character';

export interface RougeL {
	precision: number;
	recall: number;
	fmeasure: number;
}

/** Length of the longest common subsequence, in O(n*m) time and O(m) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
	if (a.length === 0 || b.length === 0) return 0;
	let previous = new Uint32Array(b.length + 1);
	let current = new Uint32Array(b.length + 1);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
		}
		[previous, current] = [current, previous];
	}
	return previous[b.length];
}

/** ROUGE-L of one prediction against one reference. */
export function rougeL(prediction: string, reference: string): RougeL {
	const predictionTokens = rougeTokens(prediction);
	const referenceTokens = rougeTokens(reference);
	if (predictionTokens.length === 0 || referenceTokens.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
	const lcs = lcsLength(referenceTokens, predictionTokens);
	const precision = lcs / predictionTokens.length;
	const recall = lcs / referenceTokens.length;
	return { precision, recall, fmeasure: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** ROUGE-L against several references: the one with the best F-measure (rouge-score's `score_multi`). */
export function rougeLMulti(prediction: string, references: readonly string[]): RougeL {
	if (references.length === 0) throw new RangeError('ROUGE-L needs at least one reference');
	return references.map((reference) => rougeL(prediction, reference)).reduce((best, next) => (next.fmeasure > best.fmeasure ? next : best));
}
