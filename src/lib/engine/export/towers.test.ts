// The exported towers against the engine: each graph's features equal model.features, and a prompt
// with an image, an audio clip, a video, or no media gives the engine's logits when the features are
// spliced over the placeholder rows of the embed graph's output and run through the decoder graph.

import { describe, expect, it } from 'vitest';
import { seededValues } from '../autograd/ops/gradCheck';
import { MultimodalModel } from '../models/multimodal/model';
import { collateMultimodal, expandPlaceholders } from '../models/multimodal/samples';
import { TINY_MULTIMODAL } from '../models/multimodal/testModel';
import { MEDIA_TOKEN_IDS, type MediaKind } from '../tokenizer/specialTokens';
import { decoderGraph, embedGraph } from './decoder';
import { createSession, decoderStep, embedIds, emptyKv, maxAbsDiff, runSingle, towerFeeds } from './runtime';
import { engineRun, scrambleWeights } from './testing';
import { TOWER_GRAPHS } from './towers';

const model = new MultimodalModel({ ...TINY_MULTIMODAL, vision: { ...TINY_MULTIMODAL.vision, patch_hidden_size: 12 } }, 11);
scrambleWeights(model.llm, 12);
const KINDS: MediaKind[] = ['image', 'audio', 'video'];

describe('ONNX media tower export', () => {
	it.each(KINDS)('%s graph gives the engine features for a batch of two', async (kind) => {
		const count = 2;
		const data = seededValues(count * model.inputSize(kind), 30, 2);
		const expected = engineRun(() => model.features(kind, { data, count, rows: new Int32Array(0) }));
		const session = await createSession(TOWER_GRAPHS[kind](model).encode());
		const features = await runSingle(session, towerFeeds(model.config, kind, data, count));
		expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.5);
		expect(maxAbsDiff(features, expected)).toBeLessThan(1e-4);
	});

	it.each([...KINDS, 'text' as const])('%s prompt: spliced features through the decoder give the engine logits', async (kind) => {
		const ids = [257, 260, 72, 105, ...(kind === 'text' ? [] : [MEDIA_TOKEN_IDS[kind]]), 33, 262, 261];
		const placeholders = kind === 'text' ? [] : [{ kind, tokenIndex: 4, mediaIndex: 0 }];
		const F = kind === 'text' ? 0 : model.featureTokens(kind);
		const e = expandPlaceholders(ids, null, placeholders, () => F);
		const data = kind === 'text' ? new Float32Array(0) : seededValues(model.inputSize(kind), 40, 2);
		const media = kind === 'text' ? [] : [{ kind, start: e.starts[0], length: F, data }];
		const batch = collateMultimodal([{ inputIds: e.inputIds, labels: e.labels, media }]);
		const expected = engineRun(() => model.forward(batch));

		const llm = model.config.llm;
		const embeds = await embedIds(await createSession(embedGraph(model.llm).encode()), batch.inputIds, 1);
		if (kind !== 'text') {
			const features = await runSingle(await createSession(TOWER_GRAPHS[kind](model).encode()), towerFeeds(model.config, kind, data, 1));
			embeds.set(features, e.starts[0] * llm.hidden_size);
		}
		const { logits } = await decoderStep(await createSession(decoderGraph(model.llm).encode()), llm, embeds, 1, emptyKv(llm, 1));
		expect(maxAbsDiff(logits, expected)).toBeLessThan(1e-4);
	});
});
