import type { EvalScoreRange } from '$lib/shared/eval';

/** A score as its range reads: fractions as percentages, sacreBLEU's 0-100 as is, positives with 3 digits. */
export function formatScore(score: number | null | undefined, range: EvalScoreRange = 'fraction'): string {
	if (score === null || score === undefined || !Number.isFinite(score)) return '–';
	if (range === 'fraction') return `${(score * 100).toFixed(1)}%`;
	if (range === 'percent') return score.toFixed(2);
	return score.toPrecision(4);
}
