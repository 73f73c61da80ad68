import { pyRstrip, pySplit, tokenizeForBleu, type BleuTokenizer } from './tokenize13a';

/**
 * BLEU as sacreBLEU 2.x computes it by default: corpus level (n-gram matches and lengths summed over all
 * segments before the precisions are taken), n-grams up to 4, clipped counts against the maximum count in any
 * reference, the closest reference length (the shorter on a tie), brevity penalty, `exp` smoothing,
 * case-sensitive, tokeniser 13a (or zh). Scores are 0..100. Sentence BLEU is the same on one segment with
 * sacreBLEU's `sentence_bleu` setting of effective order on.
 */

export const BLEU_CONVENTION = 'sacreBLEU 2.x defaults: corpus BLEU-4, 13a, exp smoothing, case-sensitive; zh: CJK per character, 13a rules on the rest; 0-100';
export const SENTENCE_BLEU_CONVENTION = 'sacreBLEU 2.x sentence_bleu: BLEU-4, 13a, exp smoothing, effective order, case-sensitive; zh: CJK per character; 0-100';

const MAX_ORDER = 4;

export interface BleuOptions {
	tokenizer?: BleuTokenizer;
	lowercase?: boolean;
}

export interface BleuStats {
	hypLength: number;
	refLength: number;
	/** Clipped n-gram matches for n = 1..4. */
	correct: number[];
	/** Hypothesis n-grams for n = 1..4. */
	total: number[];
}

export interface BleuScore extends BleuStats {
	score: number;
	/** n-gram precisions in percent, after smoothing. */
	precisions: number[];
	brevityPenalty: number;
}

function tokens(segment: string, options: BleuOptions): string[] {
	const text = options.lowercase ? segment.toLowerCase() : segment;
	return pySplit(tokenizeForBleu(pyRstrip(text), options.tokenizer ?? '13a'));
}

function ngramCounts(words: readonly string[]): Map<string, number>[] {
	const counts: Map<string, number>[] = [];
	for (let n = 1; n <= MAX_ORDER; n++) {
		const map = new Map<string, number>();
		for (let i = 0; i + n <= words.length; i++) {
			// Tokens never contain a space (they are split on whitespace), so joining with one is unambiguous.
			const key = words.slice(i, i + n).join(' ');
			map.set(key, (map.get(key) ?? 0) + 1);
		}
		counts.push(map);
	}
	return counts;
}

/** The reference length closest to the hypothesis length; the shorter one on a tie. */
function closestLength(hypLength: number, refLengths: readonly number[]): number {
	let best = refLengths[0];
	for (const length of refLengths) {
		const diff = Math.abs(hypLength - length);
		const bestDiff = Math.abs(hypLength - best);
		if (diff < bestDiff || (diff === bestDiff && length < best)) best = length;
	}
	return best;
}

/** One segment's sufficient statistics; summing them over segments gives the corpus statistics. */
export function bleuSegmentStats(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuStats {
	if (references.length === 0) throw new RangeError('BLEU needs at least one reference per hypothesis');
	const hypWords = tokens(hypothesis, options);
	const refWords = references.map((reference) => tokens(reference, options));
	const maxRef: Map<string, number>[] = Array.from({ length: MAX_ORDER }, () => new Map());
	for (const words of refWords) {
		ngramCounts(words).forEach((map, n) => {
			for (const [key, count] of map) if (count > (maxRef[n].get(key) ?? 0)) maxRef[n].set(key, count);
		});
	}
	const correct = new Array<number>(MAX_ORDER).fill(0);
	const total = new Array<number>(MAX_ORDER).fill(0);
	ngramCounts(hypWords).forEach((map, n) => {
		total[n] = Math.max(0, hypWords.length - n);
		for (const [key, count] of map) correct[n] += Math.min(count, maxRef[n].get(key) ?? 0);
	});
	return { hypLength: hypWords.length, refLength: closestLength(hypWords.length, refWords.map((w) => w.length)), correct, total };
}

export function sumBleuStats(all: readonly BleuStats[]): BleuStats {
	const sum: BleuStats = { hypLength: 0, refLength: 0, correct: new Array(MAX_ORDER).fill(0), total: new Array(MAX_ORDER).fill(0) };
	for (const stats of all) {
		sum.hypLength += stats.hypLength;
		sum.refLength += stats.refLength;
		for (let n = 0; n < MAX_ORDER; n++) {
			sum.correct[n] += stats.correct[n];
			sum.total[n] += stats.total[n];
		}
	}
	return sum;
}

/** sacreBLEU's log, which stands in a huge negative number for log(0) so a zero precision zeroes the score. */
const safeLog = (value: number) => (value === 0 ? -9999999999 : Math.log(value));

/** BLEU from summed statistics with `exp` smoothing: the k-th order with no match gets precision 100 / (2^k * total). */
export function bleuFromStats(stats: BleuStats, effectiveOrder = false): BleuScore {
	const { hypLength, refLength, correct, total } = stats;
	const brevityPenalty = hypLength < refLength ? (hypLength > 0 ? Math.exp(1 - refLength / hypLength) : 0) : 1;
	const precisions = new Array<number>(MAX_ORDER).fill(0);
	if (!correct.some((c) => c > 0)) return { ...stats, score: 0, precisions, brevityPenalty };
	let smoothing = 1;
	let order = MAX_ORDER;
	for (let n = 0; n < MAX_ORDER; n++) {
		if (total[n] === 0) break;
		if (effectiveOrder) order = n + 1;
		if (correct[n] === 0) {
			smoothing *= 2;
			precisions[n] = 100 / (smoothing * total[n]);
		} else {
			precisions[n] = (100 * correct[n]) / total[n];
		}
	}
	const logMean = precisions.slice(0, order).reduce((sum, p) => sum + safeLog(p), 0) / order;
	return { ...stats, score: brevityPenalty * Math.exp(logMean), precisions, brevityPenalty };
}

/** Corpus BLEU over samples; `references[i]` holds every reference of hypothesis i. */
export function corpusBleu(hypotheses: readonly string[], references: readonly (readonly string[])[], options: BleuOptions = {}): BleuScore {
	if (hypotheses.length !== references.length) {
		throw new RangeError(`BLEU got ${hypotheses.length} hypotheses but ${references.length} reference lists`);
	}
	return bleuFromStats(sumBleuStats(hypotheses.map((hypothesis, i) => bleuSegmentStats(hypothesis, references[i], options))));
}

/** Sentence BLEU for per-sample scores: as sacreBLEU's `sentence_bleu` (effective order on). */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuScore {
	return bleuFromStats(bleuSegmentStats(hypothesis, references, options), true);
}
