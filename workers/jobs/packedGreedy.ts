// Greedy answers for prompts with media, a group at a time, with no work on padding or on rows that
// are done: the group's media features are computed once, then every new token re-reads only the
// rows still answering, packed back to back (each its own segment: positions and attention restart per
// row, as in a padded batch). A one-word answer stops after a few tokens while a rambling neighbour
// goes on alone, so a batch costs about what its rows need, and the decoder's matmuls see all of them.

import { gatherRows } from '../../src/lib/engine/autograd/ops/gatherRows';
import type { SpliceSource } from '../../src/lib/engine/autograd/ops/splice';
import { beginStep, noGrad } from '../../src/lib/engine/autograd/tape';
import type { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { packMultimodal, type MultimodalSample } from '../../src/lib/engine/models/multimodal/samples';
import { decode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { END_ID, EOS_ID, IGNORE_INDEX } from '../../src/lib/engine/tokenizer/specialTokens';

function argmaxRow(values: Float32Array, offset: number, V: number): number {
	let best = 0;
	for (let i = 1; i < V; i++) if (values[offset + i] > values[offset + best]) best = i;
	return best;
}

/** Where each sample starts in a packed row: running sums of lengths. */
function firstsOf(lengths: readonly number[]): number[] {
	const firsts: number[] = [];
	let at = 0;
	for (const length of lengths) {
		firsts.push(at);
		at += length;
	}
	return firsts;
}

/**
 * The prompt features moved to a new packing of some of the samples: a feature row of sample i at
 * packed row r (r - first0[i] into the sample) goes to newFirst[i] + (r - first0[i]); rows of samples
 * no longer packed are dropped.
 */
function remap(sources: readonly SpliceSource[], owner: (row: number) => number, first0: readonly number[], newFirst: ReadonlyMap<number, number>): SpliceSource[] {
	return sources.flatMap((source) => {
		const keep: number[] = [];
		const rows: number[] = [];
		source.rows.forEach((row, k) => {
			const i = owner(row);
			const first = newFirst.get(i);
			if (first === undefined) return;
			keep.push(k);
			rows.push(first + row - first0[i]);
		});
		if (keep.length === 0) return [];
		const features = keep.length === source.rows.length ? source.features : gatherRows(source.features, Int32Array.from(keep));
		return [{ features, rows: Int32Array.from(rows) }];
	});
}

/** Text each prompt continues with, up to <|end|> / <|eos|> or maxNewTokens; `batchSize` prompts per group. */
export function packedGreedyAnswers(model: MultimodalModel, prompts: readonly MultimodalSample[], maxNewTokens: number, batchSize: number): string[] {
	const V = model.config.llm.vocab_size;
	model.llm.adapterStep = { enabled: true, training: false, seed: 0 };
	const answers: string[] = [];
	for (let at = 0; at < prompts.length; at += batchSize) {
		const group = prompts.slice(at, at + batchSize);
		const generated: number[][] = group.map(() => []);
		noGrad(() => {
			beginStep();
			const first0 = firstsOf(group.map((p) => p.inputIds.length));
			const owner = (row: number) => {
				let i = first0.length - 1;
				while (first0[i] > row) i--;
				return i;
			};
			const sources = model.mediaFeatures(packMultimodal(group));
			let active = group.map((_, i) => i);
			for (let t = 0; t < maxNewTokens && active.length > 0; t++) {
				const samples = active.map((i) => {
					const inputIds = new Int32Array(group[i].inputIds.length + generated[i].length);
					inputIds.set(group[i].inputIds);
					inputIds.set(generated[i], group[i].inputIds.length);
					return { inputIds, labels: new Int32Array(inputIds.length).fill(IGNORE_INDEX), media: group[i].media };
				});
				const firsts = firstsOf(samples.map((s) => s.inputIds.length));
				const batch = packMultimodal(samples);
				const logits = model.forward(batch, remap(sources, owner, first0, new Map(active.map((i, k) => [i, firsts[k]])))).f32();
				active = active.filter((i, k) => {
					const id = argmaxRow(logits, (firsts[k] + samples[k].inputIds.length - 1) * V, V);
					if (id === END_ID || id === EOS_ID) return false;
					generated[i].push(id);
					return true;
				});
			}
		});
		for (const ids of generated) answers.push(decode(ids));
	}
	return answers;
}
