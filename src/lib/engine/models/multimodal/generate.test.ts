// Greedy answers with a KV cache per prompt, prompts decoding together, against the plainest
// reference: every new token re-reads the whole prompt and answer so far, one prompt at a time.

import { describe, expect, it } from 'vitest';
import { seededValues } from '../../autograd/ops/gradCheck';
import { beginStep, noGrad } from '../../autograd/tape';
import { decode } from '../../tokenizer/byteTokenizer';
import { AUDIO_ID, END_ID, EOS_ID, IGNORE_INDEX, IMAGE_ID } from '../../tokenizer/specialTokens';
import { greedyAnswers, greedyDecode } from './generate';
import { MultimodalModel } from './model';
import { collateMultimodal, expandPlaceholders, type MultimodalSample } from './samples';
import { TINY_MULTIMODAL } from './testModel';

function prompt(model: MultimodalModel, kind: 'image' | 'audio', text: number[], seed: number): MultimodalSample {
	const ids = [1, kind === 'image' ? IMAGE_ID : AUDIO_ID, ...text];
	const e = expandPlaceholders(ids, ids.map(() => IGNORE_INDEX), [{ kind, tokenIndex: 1, mediaIndex: 0 }], (k) => model.featureTokens(k));
	return { inputIds: e.inputIds, labels: e.labels, media: [{ kind, start: e.starts[0], length: model.featureTokens(kind), data: seededValues(model.inputSize(kind), seed) }] };
}

function recomputedIds(model: MultimodalModel, p: MultimodalSample, maxNew: number): number[] {
	const V = model.config.llm.vocab_size;
	const out: number[] = [];
	while (out.length < maxNew && p.inputIds.length + out.length < model.config.llm.max_position_embeddings) {
		const inputIds = Int32Array.from([...p.inputIds, ...out]);
		const logits = noGrad(() => {
			beginStep();
			return model.forward(collateMultimodal([{ ...p, inputIds, labels: new Int32Array(inputIds.length).fill(IGNORE_INDEX) }])).toArray();
		});
		const last = logits.subarray((inputIds.length - 1) * V, inputIds.length * V);
		const id = last.indexOf(Math.max(...last));
		if (id === END_ID || id === EOS_ID) break;
		out.push(id);
	}
	return out;
}

const recomputed = (model: MultimodalModel, p: MultimodalSample, maxNew: number) => decode(recomputedIds(model, p, maxNew));

describe('multimodal greedy answers', () => {
	const model = new MultimodalModel(TINY_MULTIMODAL, 11);
	const prompts = [prompt(model, 'image', [70, 71], 1), prompt(model, 'audio', [72, 73, 74, 75, 76], 2), prompt(model, 'image', [77], 3), prompt(model, 'audio', [78, 79, 80], 4)];

	it('equal full recomputation, whatever the group size', () => {
		const expected = prompts.map((p) => recomputed(model, p, 9));
		expect(expected.some((answer) => answer.length > 0)).toBe(true);
		expect(greedyAnswers(model, prompts, { maxNewTokens: 9, batchSize: 1 })).toEqual(expected);
		expect(greedyAnswers(model, prompts, { maxNewTokens: 9, batchSize: 3 })).toEqual(expected);
	});

	it('stop where prompt and answer fill the model context', () => {
		// This model never says <|end|> to these prompts, so 500 new tokens would run past its 64 positions.
		const context = model.config.llm.max_position_embeddings;
		expect(prompts.map((p) => p.inputIds.length + recomputedIds(model, p, 500).length)).toEqual(prompts.map(() => context));
		expect(greedyAnswers(model, prompts, { maxNewTokens: 500, batchSize: 4 })).toEqual(prompts.map((p) => recomputed(model, p, 500)));
	});

	it('score a reference answer in the prefill and still answer from the prompt alone', () => {
		const V = model.config.llm.vocab_size;
		const reference = [81, 82, 83, END_ID];
		const withReference = prompts.map((p) => {
			const inputIds = Int32Array.from([...p.inputIds, ...reference]);
			const labels = Int32Array.from(inputIds, (id, t) => (t >= p.inputIds.length ? id : IGNORE_INDEX));
			return { sample: { ...p, inputIds, labels }, promptLength: p.inputIds.length };
		});
		const results = greedyDecode(model, [...withReference, { sample: prompts[0], promptLength: prompts[0].inputIds.length }], { maxNewTokens: 6, batchSize: 3 });
		expect(results.map((r) => r.text)).toEqual([...prompts, prompts[0]].map((p) => recomputed(model, p, 6)));
		expect(results[4].referenceLogProbs).toBeNull();
		withReference.forEach(({ sample, promptLength }, i) => {
			const logits = noGrad(() => {
				beginStep();
				return model.forward(collateMultimodal([sample])).toArray();
			});
			// log p(reference token | everything before it), in float64.
			const expected = reference.map((token, j) => {
				const row = Array.from(logits.subarray((promptLength - 1 + j) * V, (promptLength + j) * V));
				const max = Math.max(...row);
				return row[token] - max - Math.log(row.reduce((sum, v) => sum + Math.exp(v - max), 0));
			});
			const got = results[i].referenceLogProbs as number[];
			expect(got).toHaveLength(reference.length);
			got.forEach((value, j) => expect(Math.abs(value - expected[j])).toBeLessThan(1e-4));
		});
	});
});
