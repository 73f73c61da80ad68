// Answers and reference log-probabilities for the eval runner, per model family. The multimodal model
// answers a batch of prompts together (one packed prefill, then one decoder step per new token for the
// rows still answering); the prefill reads each prompt followed by its reference answer, teacher-forced,
// which scores the reference with the same labels the trainer's loss reads. A text model decodes each
// prompt with its KV cache.

import { beginStep, noGrad } from '../../src/lib/engine/autograd/tape';
import { generate } from '../../src/lib/engine/generate/generate';
import type { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { greedyDecode, type GreedyPrompt } from '../../src/lib/engine/models/multimodal/generate';
import { rowLists, type MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import type { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { decode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { renderPrompt } from '../../src/lib/engine/tokenizer/chatTemplate';
import type { ChatRow } from '../../src/lib/engine/tokenizer/chatTypes';
import { evalTurnOf, type Answer } from './evalRows';

export interface AnsweredRows {
	answers: Answer[];
	/** Per row, the reference answer's token log-probabilities; null where it has none or it does not fit. */
	logProbs: (number[] | null)[];
}

/**
 * Greedy answers of the multimodal model, `batchSize` prompts decoding together, with the reference
 * answers' log-probabilities read in the same forward as the prompts (see the engine's generate.ts).
 */
export async function multimodalAnswers(model: MultimodalModel, cache: MediaFeatureCache, rows: readonly ChatRow[], maxNewTokens: number, batchSize: number): Promise<AnsweredRows> {
	const context = model.config.llm.max_position_embeddings;
	const prompts = await Promise.all(
		rows.map(async (row): Promise<GreedyPrompt> => {
			const { prompt: messages, reference } = evalTurnOf(row);
			const prompt = await cache.promptSample(messages, rowLists(row), '/');
			const promptLength = prompt.inputIds.length;
			// The same turn with its reference answer, rendered as training renders it: its labels are the
			// tokens scored. It continues the prompt token for token, so one forward serves both.
			const asked = reference ? await cache.trainSample({ ...row, messages: [...messages, { role: 'assistant', content: reference }] }, '/', context) : null;
			const continues = asked !== null && asked.inputIds.length > promptLength && asked.inputIds.subarray(0, promptLength).every((id, t) => id === prompt.inputIds[t]);
			return continues ? { sample: asked, promptLength } : { sample: prompt, promptLength };
		})
	);
	const results = greedyDecode(model, prompts, { maxNewTokens, batchSize });
	return { answers: results.map((r) => ({ text: r.text, outputTokens: tokenCount(r.text) })), logProbs: results.map((r) => r.referenceLogProbs) };
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
