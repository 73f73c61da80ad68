import type { EvalScoreRange } from '$lib/shared/eval';
import { BLEU_CONVENTION, SENTENCE_BLEU_CONVENTION, corpusBleu, sentenceBleu } from './bleu';
import { CHOICE_ACCURACY_CONVENTION, choiceAccuracy } from './choice';
import { EXACT_MATCH_CONVENTION, NORMALISED_ACCURACY_CONVENTION, TOKEN_F1_CONVENTION, exactMatch, normalisedAccuracy, tokenF1 } from './exactMatch';
import { LOSS_CONVENTION, PERPLEXITY_CONVENTION } from './perplexity';
import { ROUGE_L_CONVENTION, ROUGE_L_RECALL_CONVENTION, rougeLMulti } from './rouge';

/**
 * The metric table: one line per metric with its name, the convention shown beside its number, its range and
 * direction. Text metrics score one sample from its prediction and references; BLEU also has a corpus value.
 */

export const textMetricNames = ['exact_match', 'accuracy', 'choice_accuracy', 'token_f1', 'bleu', 'rouge_l', 'rouge_l_recall'] as const;
export type TextMetricName = (typeof textMetricNames)[number];
export const metricNames = [...textMetricNames, 'perplexity', 'loss'] as const;
export type MetricName = (typeof metricNames)[number];

export interface MetricDescriptor {
	name: MetricName;
	convention: string;
	range: EvalScoreRange;
	higherIsBetter: boolean;
}

const describe = (name: MetricName, convention: string, range: EvalScoreRange, higherIsBetter = true): MetricDescriptor => ({ name, convention, range, higherIsBetter });

export const METRICS: Record<MetricName, MetricDescriptor> = {
	exact_match: describe('exact_match', EXACT_MATCH_CONVENTION, 'fraction'),
	accuracy: describe('accuracy', NORMALISED_ACCURACY_CONVENTION, 'fraction'),
	choice_accuracy: describe('choice_accuracy', CHOICE_ACCURACY_CONVENTION, 'fraction'),
	token_f1: describe('token_f1', TOKEN_F1_CONVENTION, 'fraction'),
	// Per-sample numbers are sentence BLEU; the report's corpus value is corpus BLEU (see `corpusTextScore`).
	bleu: describe('bleu', `per sample: ${SENTENCE_BLEU_CONVENTION}; corpus: ${BLEU_CONVENTION}`, 'percent'),
	rouge_l: describe('rouge_l', ROUGE_L_CONVENTION, 'fraction'),
	rouge_l_recall: describe('rouge_l_recall', ROUGE_L_RECALL_CONVENTION, 'fraction'),
	perplexity: describe('perplexity', PERPLEXITY_CONVENTION, 'positive', false),
	loss: describe('loss', LOSS_CONVENTION, 'positive', false)
};

export interface TextScoreOptions {
	/** `zh` selects sacreBLEU's zh tokeniser for BLEU; anything else uses 13a. */
	language?: string;
	/** Letters that count as options for choice accuracy, e.g. "ABCD". */
	options?: string;
}

export interface TextScore {
	score: number;
	/** What was read out of the prediction (the choice letter), when the metric reads anything. */
	extracted: string | null;
}

// sacreBLEU picks zh for target language `zh`; regional tags (zh-CN, zh-TW) mean the same script here.
const bleuTokenizer = (language: string | undefined) => (language === 'zh' || language?.startsWith('zh-') ? 'zh' : '13a');

/** One sample's score under a text metric. */
export function scoreText(metric: TextMetricName, prediction: string, references: readonly string[], options: TextScoreOptions = {}): TextScore {
	if (references.length === 0) throw new RangeError(`${metric} needs at least one reference`);
	switch (metric) {
		case 'exact_match':
			return { score: exactMatch(prediction, references), extracted: null };
		case 'accuracy':
			return { score: normalisedAccuracy(prediction, references), extracted: null };
		case 'choice_accuracy': {
			const { score, extraction } = choiceAccuracy(prediction, references[0], options.options);
			return { score, extracted: extraction.letter };
		}
		case 'token_f1':
			return { score: tokenF1(prediction, references), extracted: null };
		case 'bleu':
			return { score: sentenceBleu(prediction, references, { tokenizer: bleuTokenizer(options.language) }).score, extracted: null };
		case 'rouge_l':
			return { score: rougeLMulti(prediction, references).fmeasure, extracted: null };
		case 'rouge_l_recall':
			return { score: rougeLMulti(prediction, references).recall, extracted: null };
	}
}

/** The corpus-level value of a text metric where it is not the mean of samples (BLEU); null otherwise. */
export function corpusTextScore(metric: TextMetricName, predictions: readonly string[], references: readonly (readonly string[])[], options: TextScoreOptions = {}): number | null {
	if (metric !== 'bleu' || predictions.length === 0) return null;
	return corpusBleu(predictions, references, { tokenizer: bleuTokenizer(options.language) }).score;
}
