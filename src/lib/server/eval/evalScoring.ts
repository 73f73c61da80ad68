import type { EvalReport } from '../../shared/eval';
import type { EvalHeadline, EvalPrediction, EvalRecord, EvalSampleView } from '../../shared/evalJob';
import { demoQuestionTypeOf } from '../../shared/demo/questionTypes';
import { latencyStats } from './metrics/latency';
import { buildReport } from './report/aggregate';
import { scoreSamples, type PredictionSample } from './report/scoreSamples';
import type { TextMetricName } from './metrics/index';

/**
 * A finished eval job's predictions -> its report: every requested metric per sample, perplexity and loss
 * where the worker returned reference log-probs, broken down by modality and by the demo question type
 * (`tag:question_type`) of each prompt.
 */

export const QUESTION_TYPE_TAG = 'question_type';

export function tagsOf(prompt: string): Record<string, string> {
	const type = demoQuestionTypeOf(prompt);
	return type === null ? {} : { [QUESTION_TYPE_TAG]: type };
}

export function scorePredictions(predictions: readonly EvalPrediction[], meta: { name: string; model: string; dataset: string; metrics: readonly TextMetricName[]; createdAt: string }): EvalReport {
	const samples: PredictionSample[] = predictions.map((p) => ({
		prediction: p.prediction,
		references: [p.reference],
		tags: tagsOf(p.prompt),
		media: { images: p.images, audios: p.audios, videos: p.videos },
		...(p.logProbs && p.logProbs.length > 0 ? { logProbs: p.logProbs } : {})
	}));
	const { samples: scored, metrics } = scoreSamples(samples, { metrics: metrics_(meta.metrics) });
	const latency =
		predictions.length > 0
			? latencyStats(predictions.map((p) => ({ latencyMs: p.latencyMs, outputTokens: p.outputTokens })))
			: null;
	return buildReport({ name: meta.name, model: meta.model, dataset: meta.dataset, metrics, samples: scored, latency, createdAt: meta.createdAt });
}

const metrics_ = (names: readonly TextMetricName[]) => [...new Set(names)];

/** The number a list shows: the first metric's micro mean. */
export function headlineOf(report: EvalReport): EvalHeadline | null {
	const metric = report.metrics[0];
	return metric ? { metric: metric.name, score: metric.score, range: metric.range } : null;
}

/** The first metric's score per breakdown bucket, e.g. `{ "tag:question_type": { image_shape: 1 } }`. */
export function tagScoresOf(report: EvalReport): EvalRecord['tagScores'] {
	const metric = report.metrics[0];
	if (!metric) return {};
	return Object.fromEntries(metric.breakdowns.map((b) => [b.by, Object.fromEntries(b.buckets.map((bucket) => [bucket.value, bucket.score]))]));
}

/** A report's samples joined with the prompts and media their predictions carried (none for imports). */
export function sampleViews(report: EvalReport, predictions: readonly EvalPrediction[]): EvalSampleView[] {
	return report.samples.map((s) => {
		const p = predictions[s.index];
		return {
			index: s.index,
			row: p?.row ?? null,
			prompt: p?.prompt ?? '',
			prediction: s.prediction,
			references: s.references,
			extracted: s.extracted,
			tags: s.tags,
			modalities: s.modalities,
			media: p ? [...p.images.map((file) => ({ kind: 'image' as const, file })), ...p.audios.map((file) => ({ kind: 'audio' as const, file })), ...p.videos.map((file) => ({ kind: 'video' as const, file }))] : [],
			scores: s.scores
		};
	});
}
