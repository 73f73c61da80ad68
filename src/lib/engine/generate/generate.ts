// Text generation from a prompt: one batched pass fills the KV cache, then tokens are drawn one at a time
// until <|end|>/<|eos|>, max_new_tokens, or the model's context is full.

import { SeededRandom } from '../data/seededRandom';
import { decodeToken, KvCache, prefill } from '../models/llama/decode';
import type { LlamaModel } from '../models/llama/model';
import { END_ID, EOS_ID } from '../tokenizer/specialTokens';
import { sampleToken, type SamplingOptions } from './sampling';

export interface GenerateOptions extends SamplingOptions {
	max_new_tokens?: number;
	seed?: number;
	/** Token ids that end generation (default <|end|> and <|eos|>); the stop token is not returned. */
	stop?: number[];
	/** Called with each new token as it is chosen (streaming). */
	onToken?(id: number): void;
}

export function generate(model: LlamaModel, promptIds: readonly number[], o: GenerateOptions = {}): number[] {
	if (promptIds.length === 0) throw new Error('generate needs at least one prompt token');
	const cache = new KvCache(model);
	const random = new SeededRandom(o.seed ?? 0);
	const stop = new Set(o.stop ?? [END_ID, EOS_ID]);
	const max = o.max_new_tokens ?? 128;
	let logits = prefill(model, cache, promptIds);
	const out: number[] = [];
	const history = [...promptIds];
	while (out.length < max) {
		const next = sampleToken(logits, o, random, history);
		if (stop.has(next)) break;
		out.push(next);
		history.push(next);
		o.onToken?.(next);
		if (cache.length >= cache.capacity) break;
		logits = decodeToken(model, cache, next);
	}
	return out;
}
