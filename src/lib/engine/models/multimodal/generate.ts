// Greedy answers for prompts with media, a batch at a time. The prompt's features are computed
// once; each new token re-runs the decoder over the whole (short) sequence, which for demo-sized
// answers of a few tokens costs less than keeping a KV cache per row.

import { beginStep, noGrad } from '../../autograd/tape';
import { decode } from '../../tokenizer/byteTokenizer';
import { END_ID, EOS_ID, IGNORE_INDEX } from '../../tokenizer/specialTokens';
import type { MultimodalModel } from './model';
import { collateMultimodal, type MultimodalSample } from './samples';

export interface GreedyOptions {
	maxNewTokens?: number;
	batchSize?: number;
}

function argmaxRow(values: Float32Array, offset: number, V: number): number {
	let best = 0;
	for (let i = 1; i < V; i++) if (values[offset + i] > values[offset + best]) best = i;
	return best;
}

/** Text each prompt continues with, up to <|end|> / <|eos|> or maxNewTokens. */
export function greedyAnswers(model: MultimodalModel, prompts: readonly MultimodalSample[], options: GreedyOptions = {}): string[] {
	const maxNew = options.maxNewTokens ?? 16;
	const bs = options.batchSize ?? 16;
	const answers: string[] = [];
	model.llm.adapterStep = { enabled: true, training: false, seed: 0 };
	for (let at = 0; at < prompts.length; at += bs) {
		const group = prompts.slice(at, at + bs);
		const generated: number[][] = group.map(() => []);
		const done = group.map(() => false);
		// Room for every new token up front: rows keep their positions, so the features' rows stay valid.
		const padded = group.map((p) => ({ ...p, inputIds: new Int32Array(p.inputIds.length + maxNew), labels: new Int32Array(p.inputIds.length + maxNew).fill(IGNORE_INDEX) }));
		padded.forEach((p, i) => p.inputIds.set(group[i].inputIds));
		noGrad(() => {
			beginStep();
			const batch = collateMultimodal(padded);
			const sources = model.mediaFeatures(batch);
			const V = model.config.llm.vocab_size;
			for (let t = 0; t < maxNew && done.includes(false); t++) {
				const logits = model.forward(batch, sources).f32();
				group.forEach((p, i) => {
					if (done[i]) return;
					const pos = p.inputIds.length + t - 1;
					const id = argmaxRow(logits, (i * batch.seqLength + pos) * V, V);
					if (id === END_ID || id === EOS_ID) done[i] = true;
					else {
						generated[i].push(id);
						batch.inputIds[i * batch.seqLength + pos + 1] = id;
					}
				});
			}
		});
		for (const ids of generated) answers.push(decode(ids));
	}
	return answers;
}
