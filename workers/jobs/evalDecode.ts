// Answers and reference log-probabilities for the eval runner, per model family. The multimodal model
// answers a batch of prompts together (one forward per new token for the whole batch); a text model
// decodes each prompt with its KV cache. Reference log-probs come from one teacher-forced forward of
// the prompt + reference answer: the same labels the trainer's loss reads.

import { beginStep, noGrad } from '../../src/lib/engine/autograd/tape';
import { generate } from '../../src/lib/engine/generate/generate';
import type { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { rowLists, type MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import type { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { collateMultimodal, type MultimodalSample } from '../../src/lib/engine/models/multimodal/samples';
import { decode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { renderPrompt } from '../../src/lib/engine/tokenizer/chatTemplate';
import type { ChatMessage, ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import { IGNORE_INDEX } from '../../src/lib/engine/tokenizer/specialTokens';
import { packedGreedyAnswers } from './packedGreedy';

export interface EvalTurn {
	/** The conversation up to and including the first user turn. */
	prompt: ChatMessage[];
	/** The first assistant answer after it (the reference). */
	reference: string;
}

/** The first question and its answer: what an eval asks and scores. */
export function evalTurnOf(row: ChatRow): EvalTurn {
	const firstUser = row.messages.findIndex((m) => m.role === 'user');
	if (firstUser < 0) throw new Error('the row has no user turn');
	const answer = row.messages.slice(firstUser + 1).find((m) => m.role === 'assistant');
	return { prompt: row.messages.slice(0, firstUser + 1), reference: answer?.content ?? '' };
}

export interface Answer {
	text: string;
	outputTokens: number;
}

/** Greedy answers of the multimodal model, `batchSize` prompts per forward (see packedGreedy.ts). */
export async function multimodalAnswers(model: MultimodalModel, cache: MediaFeatureCache, rows: readonly ChatRow[], maxNewTokens: number, batchSize: number): Promise<Answer[]> {
	const prompts = await Promise.all(rows.map((row) => cache.promptSample(evalTurnOf(row).prompt, rowLists(row), '/')));
	return packedGreedyAnswers(model, prompts, maxNewTokens, batchSize).map((text) => ({ text, outputTokens: tokenCount(text) }));
}

/** Greedy answers of a text model, one prompt at a time through its KV cache. */
export function textAnswers(model: LlamaModel, rows: readonly ChatRow[], maxNewTokens: number): Answer[] {
	return rows.map((row) => {
		const ids = noGrad(() => {
			beginStep();
			return generate(model, renderPrompt(evalTurnOf(row).prompt).inputIds, { max_new_tokens: maxNewTokens, temperature: 0 });
		});
		return { text: decode(ids), outputTokens: ids.length };
	});
}

// The byte tokenizer: one token per UTF-8 byte, plus specials that never appear in decoded text.
const tokenCount = (text: string) => Buffer.byteLength(text, 'utf8');

function logSoftmaxAt(values: Float32Array, offset: number, V: number, label: number): number {
	let max = -Infinity;
	for (let i = 0; i < V; i++) max = Math.max(max, values[offset + i]);
	let sum = 0;
	for (let i = 0; i < V; i++) sum += Math.exp(values[offset + i] - max);
	return values[offset + label] - max - Math.log(sum);
}

/**
 * Natural-log probability of each reference token given the prompt and the reference tokens before it,
 * per row; null for a row that has no answer tokens or does not fit the model's context.
 */
export async function multimodalReferenceLogProbs(model: MultimodalModel, cache: MediaFeatureCache, rows: readonly ChatRow[], maxLength: number): Promise<(number[] | null)[]> {
	const samples = await Promise.all(
		rows.map((row) => {
			const { prompt, reference } = evalTurnOf(row);
			const asked: ChatRow = { ...row, messages: [...prompt, { role: 'assistant', content: reference }] };
			return reference ? cache.trainSample(asked, '/', maxLength) : Promise.resolve(null);
		})
	);
	const kept = samples.flatMap((s, i) => (s ? [{ sample: s, row: i }] : []));
	const out: (number[] | null)[] = rows.map(() => null);
	if (kept.length === 0) return out;
	noGrad(() => {
		beginStep();
		const batch = collateMultimodal(kept.map((k) => k.sample as MultimodalSample));
		const { logits, labels } = model.trainedLogits(batch, batch.labels);
		const values = logits.f32();
		const V = model.config.llm.vocab_size;
		const positions = Int32Array.from(batch.labels.keys()).filter((r) => batch.labels[r] !== IGNORE_INDEX);
		positions.forEach((position, n) => {
			const slot = Math.floor(position / batch.seqLength);
			const row = kept[slot].row;
			(out[row] ??= []).push(logSoftmaxAt(values, n * V, V, labels[n]));
		});
	});
	return out;
}
