// Greedy answers for prompts with media, a group at a time. The group's prompts are packed back to
// back into one forward (each its own segment), which computes their media features and fills a KV
// cache per prompt; after that every new token is one decoder step for the rows still answering
// (projections and MLPs batched over the rows, attention per row over its own cache), so a row that
// ends early costs nothing more and no prompt is ever re-read. An eval's reference answer rides in
// the same forward after its prompt, so scoring it costs no second pass over the prompt and media.

import { beginStep, noGrad } from '../../autograd/tape';
import { decodeRows, KvCache } from '../llama/decode';
import { headDim } from '../llama/config';
import { decode } from '../../tokenizer/byteTokenizer';
import { END_ID, EOS_ID, IGNORE_INDEX } from '../../tokenizer/specialTokens';
import type { MultimodalModel } from './model';
import { packMultimodal, type MultimodalSample } from './samples';

export interface GreedyOptions {
	maxNewTokens?: number;
	batchSize?: number;
}

function argmaxRow(values: Float32Array, offset: number, V: number): number {
	let best = 0;
	for (let i = 1; i < V; i++) if (values[offset + i] > values[offset + best]) best = i;
	return best;
}

/**
 * A prompt to continue, `sample.inputIds[0, promptLength)`. Tokens after it are a reference answer
 * read in the same forward (teacher-forced): its labelled tokens get their log-probabilities, and
 * the answer is still generated from the prompt alone.
 */
export interface GreedyPrompt {
	sample: MultimodalSample;
	promptLength: number;
}

export interface GreedyResult {
	text: string;
	/** Natural-log probability of each labelled reference token; null without a reference. */
	referenceLogProbs: number[] | null;
}

function logSoftmaxAt(values: Float32Array, offset: number, V: number, label: number): number {
	let max = -Infinity;
	for (let i = 0; i < V; i++) max = Math.max(max, values[offset + i]);
	let sum = 0;
	for (let i = 0; i < V; i++) sum += Math.exp(values[offset + i] - max);
	return values[offset + label] - max - Math.log(sum);
}

/**
 * One packed forward over the prompts (references included): fills each prompt's cache with its
 * prompt positions (the decoder hands its rotated keys and values over layer by layer), and returns
 * each prompt's next-token logits at its last prompt position and its reference log-probabilities.
 */
function prefillPacked(model: MultimodalModel, prompts: readonly GreedyPrompt[], caches: readonly KvCache[]): { next: Float32Array[]; logProbs: (number[] | null)[] } {
	const llm = model.llm;
	const width = llm.config.num_key_value_heads * headDim(llm.config);
	const V = llm.config.vocab_size;
	const batch = packMultimodal(prompts.map((p) => p.sample));
	const firsts = (batch.segments ?? []).map((s) => s.start);
	llm.kvSink = (layer, k, v) => {
		const keys = k.f32();
		const values = v.f32();
		prompts.forEach((p, i) => {
			const from = firsts[i] * width;
			const to = from + p.promptLength * width;
			caches[i].keys[layer].set(keys.subarray(from, to), 0);
			caches[i].values[layer].set(values.subarray(from, to), 0);
		});
	};
	try {
		return noGrad(() => {
			beginStep();
			const logits = model.forward(batch).f32();
			const next = prompts.map((p, i) => {
				caches[i].length = p.promptLength;
				const at = (firsts[i] + p.promptLength - 1) * V;
				return logits.slice(at, at + V);
			});
			const logProbs = prompts.map((p, i) => {
				if (p.promptLength === p.sample.inputIds.length) return null;
				const scores: number[] = [];
				for (let t = firsts[i]; t < firsts[i] + p.sample.inputIds.length; t++) {
					if (batch.labels[t] !== IGNORE_INDEX) scores.push(logSoftmaxAt(logits, t * V, V, batch.labels[t]));
				}
				return scores;
			});
			return { next, logProbs };
		});
	} finally {
		llm.kvSink = null;
	}
}

/**
 * Greedy continuations of the prompts, up to <|end|> / <|eos|>, maxNewTokens or the model's context,
 * `batchSize` prompts at a time; with the log-probabilities of any reference answers they carry.
 */
export function greedyDecode(model: MultimodalModel, prompts: readonly GreedyPrompt[], options: GreedyOptions = {}): GreedyResult[] {
	const maxNew = options.maxNewTokens ?? 16;
	const bs = Math.max(1, options.batchSize ?? 16);
	const V = model.config.llm.vocab_size;
	const context = model.config.llm.max_position_embeddings;
	const before = model.llm.adapterStep;
	model.llm.adapterStep = { enabled: true, training: false, seed: 0 };
	const results: GreedyResult[] = [];
	try {
		for (let at = 0; at < prompts.length; at += bs) {
			const group = prompts.slice(at, at + bs);
			const caches = group.map((p) => new KvCache(model.llm, Math.min(context, p.promptLength + maxNew)));
			const generated: number[][] = group.map(() => []);
			let active: number[] = [];
			const take = (i: number, logits: Float32Array, offset: number) => {
				const id = argmaxRow(logits, offset, V);
				if (id === END_ID || id === EOS_ID) return;
				generated[i].push(id);
				// Prompt and answer stay within the context: the newest token is fed only if it fits.
				if (generated[i].length < maxNew && caches[i].length + 1 < caches[i].capacity) active.push(i);
			};
			const { next, logProbs } = prefillPacked(model, group, caches);
			if (maxNew > 0) next.forEach((logits, i) => take(i, logits, 0));
			while (active.length > 0) {
				const rows = active;
				active = [];
				const logits = decodeRows(model.llm, rows.map((i) => caches[i]), rows.map((i) => generated[i][generated[i].length - 1]));
				rows.forEach((i, r) => take(i, logits, r * V));
			}
			generated.forEach((ids, i) => results.push({ text: decode(ids), referenceLogProbs: logProbs[i] }));
		}
	} finally {
		model.llm.adapterStep = before;
	}
	return results;
}

/** Text each prompt continues with (see greedyDecode). */
export function greedyAnswers(model: MultimodalModel, prompts: readonly MultimodalSample[], options: GreedyOptions = {}): string[] {
	return greedyDecode(model, prompts.map((sample) => ({ sample, promptLength: sample.inputIds.length })), options).map((r) => r.text);
}
