import { METRICS, corpusTextScore, scoreText, type TextMetricName, type TextScoreOptions } from '../metrics/index';
import { corpusPerplexity, samplePerplexity } from '../metrics/perplexity';
import type { MetricInfo, SampleMedia, ScoredSample } from './aggregate';

/**
 * Predictions -> scored samples and the metric list `buildReport` takes: every requested text metric per
 * sample, BLEU's corpus value beside its sentence scores, and perplexity and loss for the samples that carry
 * token log-probabilities (token-weighted corpus values).
 */

export interface PredictionSample {
	prediction: string;
	references: readonly string[];
	subset?: string;
	category?: readonly string[];
	tags?: Record<string, string>;
	media?: SampleMedia;
	/** Natural-log probabilities of the reference tokens, where the backend returned them. */
	logProbs?: readonly number[];
}

export interface ScoreOptions extends TextScoreOptions {
	metrics: readonly TextMetricName[];
}

export function scoreSamples(samples: readonly PredictionSample[], options: ScoreOptions): { samples: ScoredSample[]; metrics: MetricInfo[] } {
	const withLogProbs = samples.filter((s) => s.logProbs !== undefined);
	const scored = samples.map((sample, index): ScoredSample => {
		const scores: Record<string, number> = {};
		let extracted: string | null = null;
		for (const metric of options.metrics) {
			const result = scoreText(metric, sample.prediction, sample.references, options);
			scores[metric] = result.score;
			extracted = result.extracted ?? extracted;
		}
		if (sample.logProbs !== undefined) {
			const { loss, perplexity } = samplePerplexity(sample.logProbs, index);
			scores.loss = loss;
			scores.perplexity = perplexity;
		}
		const { prediction, references, subset, category, tags, media } = sample;
		return { prediction, references, subset, category, tags, media, extracted, scores };
	});
	const metrics: MetricInfo[] = options.metrics.map((name) => ({
		...METRICS[name],
		corpusScore: corpusTextScore(
			name,
			samples.map((s) => s.prediction),
			samples.map((s) => s.references),
			options
		)
	}));
	if (withLogProbs.length > 0) {
		const corpus = corpusPerplexity(withLogProbs.map((s) => s.logProbs as readonly number[]));
		metrics.push({ ...METRICS.perplexity, corpusScore: corpus.perplexity }, { ...METRICS.loss, corpusScore: corpus.loss });
	}
	return { samples: scored, metrics };
}
