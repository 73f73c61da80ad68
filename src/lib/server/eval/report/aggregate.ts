import type { EvalBreakdown, EvalBucket, EvalCategory, EvalLatency, EvalMetric, EvalModality, EvalReport, EvalSample, EvalScoreRange } from '$lib/shared/eval';

/**
 * Per-sample scores -> a report, with EvalScope's means: a subset's score is the mean of its samples; a
 * category's `score` is the micro mean over its subsets (weighted by sample count, so every sample counts once)
 * and its `macroScore` the plain mean of subset scores; a metric's `score` is the micro mean over categories
 * and its `macroScore` the plain mean of category scores. Breakdowns by modality and by any row tag use the
 * same two means: micro over the bucket's samples, macro over the bucket's subsets.
 */

export const DEFAULT_SUBSET = 'default';
export const DEFAULT_CATEGORY: readonly string[] = ['default'];

export interface MetricInfo {
	name: string;
	convention: string;
	range: EvalScoreRange;
	higherIsBetter: boolean;
	/** The corpus-level value where it is not the mean of samples (corpus BLEU); null or absent otherwise. */
	corpusScore?: number | null;
}

export interface SampleMedia {
	images?: readonly unknown[] | number;
	audios?: readonly unknown[] | number;
	videos?: readonly unknown[] | number;
}

export interface ScoredSample {
	subset?: string;
	category?: readonly string[];
	tags?: Record<string, string>;
	media?: SampleMedia;
	prediction: string;
	references: readonly string[];
	extracted?: string | null;
	/** Metric name -> score; a metric missing here did not apply to the sample and is left out of its means. */
	scores: Record<string, number>;
}

export interface ReportInput {
	name: string;
	model: string;
	dataset: string;
	metrics: readonly MetricInfo[];
	samples: readonly ScoredSample[];
	/** Tag keys to break the scores down by; every tag key any sample has when absent. */
	breakdownTags?: readonly string[];
	latency?: EvalLatency | null;
	createdAt?: string | null;
}

const countOf = (list: readonly unknown[] | number | undefined) => (typeof list === 'number' ? list : (list?.length ?? 0));

/** Every media kind a sample carries, or `['text']` for a text-only sample; a sample with two kinds is in both. */
export function modalitiesOf(media: SampleMedia | undefined): EvalModality[] {
	const kinds: EvalModality[] = [];
	if (countOf(media?.images) > 0) kinds.push('image');
	if (countOf(media?.audios) > 0) kinds.push('audio');
	if (countOf(media?.videos) > 0) kinds.push('video');
	return kinds.length > 0 ? kinds : ['text'];
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

interface Scored {
	sample: EvalSample;
	score: number;
}

/** Groups in first-appearance order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return groups;
}

/** Micro mean (sample-weighted) and macro mean (each subset once) of scored samples. */
function bucketOf(value: string, scored: readonly Scored[]): EvalBucket {
	const subsetMeans = [...groupBy(scored, (s) => s.sample.subset).values()].map((group) => mean(group.map((s) => s.score)));
	return { value, num: scored.length, score: mean(scored.map((s) => s.score)), macroScore: mean(subsetMeans) };
}

function categoriesOf(scored: readonly Scored[]): EvalCategory[] {
	return [...groupBy(scored, (s) => JSON.stringify(s.sample.category)).values()].map((group) => {
		const subsets = [...groupBy(group, (s) => s.sample.subset)].map(([name, members]) => ({ name, num: members.length, score: mean(members.map((s) => s.score)) }));
		const num = subsets.reduce((sum, s) => sum + s.num, 0);
		return {
			name: [...group[0].sample.category],
			num,
			score: subsets.reduce((sum, s) => sum + s.score * s.num, 0) / num,
			macroScore: mean(subsets.map((s) => s.score)),
			subsets
		};
	});
}

const MODALITY_ORDER: readonly EvalModality[] = ['text', 'image', 'audio', 'video'];

function breakdownsOf(scored: readonly Scored[], tagKeys: readonly string[]): EvalBreakdown[] {
	const byModality: EvalBreakdown = {
		by: 'modality',
		buckets: MODALITY_ORDER.flatMap((modality) => {
			const members = scored.filter((s) => s.sample.modalities.includes(modality));
			return members.length > 0 ? [bucketOf(modality, members)] : [];
		})
	};
	const byTags = tagKeys.map((key) => {
		const tagged = scored.filter((s) => key in s.sample.tags);
		const groups = [...groupBy(tagged, (s) => s.sample.tags[key])].sort(([a], [b]) => a.localeCompare(b));
		return { by: `tag:${key}`, buckets: groups.map(([value, members]) => bucketOf(value, members)) };
	});
	return [byModality, ...byTags];
}

function toSample(input: ScoredSample, index: number, metricNames: ReadonlySet<string>): EvalSample {
	for (const [metric, value] of Object.entries(input.scores)) {
		if (!metricNames.has(metric)) throw new RangeError(`sample ${index}: score for unknown metric "${metric}"`);
		if (!Number.isFinite(value)) throw new RangeError(`sample ${index}: ${metric} score must be a finite number, got ${value}`);
	}
	return {
		index,
		subset: input.subset ?? DEFAULT_SUBSET,
		category: [...(input.category && input.category.length > 0 ? input.category : DEFAULT_CATEGORY)],
		tags: { ...(input.tags ?? {}) },
		modalities: modalitiesOf(input.media),
		prediction: input.prediction,
		references: [...input.references],
		extracted: input.extracted ?? null,
		scores: { ...input.scores }
	};
}

function metricOf(info: MetricInfo, samples: readonly EvalSample[], tagKeys: readonly string[]): EvalMetric {
	const scored = samples.flatMap((sample) => (info.name in sample.scores ? [{ sample, score: sample.scores[info.name] }] : []));
	const categories = categoriesOf(scored);
	const num = categories.reduce((sum, c) => sum + c.num, 0);
	return {
		name: info.name,
		convention: info.convention,
		range: info.range,
		higherIsBetter: info.higherIsBetter,
		num,
		score: num > 0 ? categories.reduce((sum, c) => sum + c.score * c.num, 0) / num : 0,
		macroScore: categories.length > 0 ? mean(categories.map((c) => c.score)) : 0,
		corpusScore: info.corpusScore ?? null,
		categories,
		breakdowns: breakdownsOf(scored, tagKeys)
	};
}

export function buildReport(input: ReportInput): EvalReport {
	const names = new Set(input.metrics.map((m) => m.name));
	if (names.size !== input.metrics.length) throw new RangeError('each metric may appear once in a report');
	const samples = input.samples.map((sample, index) => toSample(sample, index, names));
	const tagKeys = input.breakdownTags ?? [...new Set(samples.flatMap((s) => Object.keys(s.tags)))].sort();
	return {
		name: input.name,
		model: input.model,
		dataset: input.dataset,
		source: 'swiftboard',
		backend: null,
		createdAt: input.createdAt ?? null,
		metrics: input.metrics.map((info) => metricOf(info, samples, tagKeys)),
		samples,
		latency: input.latency ?? null
	};
}
