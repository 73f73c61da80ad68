// The inference worker's media path against the engine's: a picture decoded by the same loaders and
// tower inputs, run through the exported image graph, spliced and decoded greedily, must give the
// engine's own greedy answer for the same prompt.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/lib/engine/export/index';
import { decoderStep, emptyKv } from '../../src/lib/engine/export/runtime';
import { argmax } from '../../src/lib/engine/generate/sampling';
import { greedyAnswers } from '../../src/lib/engine/models/multimodal/generate';
import { MediaFeatureCache } from '../../src/lib/engine/models/multimodal/mediaPipeline';
import { MultimodalModel } from '../../src/lib/engine/models/multimodal/model';
import { decode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { END_ID, EOS_ID } from '../../src/lib/engine/tokenizer/specialTokens';
import { createCanvas, fillShape } from '../../src/lib/server/demo/canvas';
import { encodePng } from '../../src/lib/server/demo/png';
import { DecodeBatch } from '../../workers/inference/batchStep';
import { LoadedModels } from '../../workers/inference/loadedModels';
import { buildPrompt, RequestError } from '../../workers/inference/prompt';
import { mediaLoaders } from '../../workers/jobs/mediaLoaders';

let dir: string;
let model: MultimodalModel;
let picture: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'inference-media-'));
	model = new MultimodalModel({}, 5);
	await exportOnnx(model, join(dir, 'onnx'));
	const canvas = createCanvas(48, 40, [240, 240, 240]);
	fillShape(canvas, { bounds: { x0: 8, y0: 8, x1: 32, y1: 32 }, contains: (x, y) => (x - 20) ** 2 + (y - 20) ** 2 < 144 }, [200, 30, 30]);
	picture = join(dir, 'red.png');
	await writeFile(picture, encodePng(canvas));
}, 120_000);

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('media prompts from the export', () => {
	it('answers an image prompt as the engine does, token for token', async () => {
		const messages = [{ role: 'user' as const, content: 'What is in <image>?' }];
		const loaded = await new LoadedModels(1e9, 'cpu', () => false, () => {}).get(join(dir, 'onnx'), 'fp32');
		const prompt = await buildPrompt(loaded, messages, [{ kind: 'image', file: picture }]);
		const out = await decoderStep(loaded.sessions.decoder, loaded.llm, prompt.embeds, 1, emptyKv(loaded.llm, 1));
		const V = loaded.llm.vocab_size;
		const batch = DecodeBatch.of(loaded.llm, [out.kv]);
		const tokens: number[] = [];
		let next = argmax(out.logits.subarray(out.logits.length - V));
		while (tokens.length < 12 && next !== END_ID && next !== EOS_ID) {
			tokens.push(next);
			next = argmax((await batch.step(loaded.sessions.embed, loaded.sessions.decoder, [next]))[0]);
		}
		const sample = await new MediaFeatureCache(model.config, mediaLoaders).promptSample(messages, { image: [picture] }, dir);
		expect(decode(tokens)).toBe(greedyAnswers(model, [sample], { maxNewTokens: 12 })[0]);
		expect(tokens.length).toBeGreaterThan(0);
	});

	it('names the attachment that cannot be decoded, and a count that does not match the tags', async () => {
		const loaded = await new LoadedModels(1e9, 'cpu', () => false, () => {}).get(join(dir, 'onnx'), 'fp32');
		const broken = join(dir, 'broken.png');
		await writeFile(broken, Buffer.concat([Buffer.from(encodePng(createCanvas(8, 8, [0, 0, 0]))).subarray(0, 40), Buffer.alloc(20)]));
		const bad = buildPrompt(loaded, [{ role: 'user', content: '<image> and <image>' }], [{ kind: 'image', file: picture }, { kind: 'image', file: broken }]);
		await expect(bad).rejects.toBeInstanceOf(RequestError);
		await expect(bad).rejects.toThrow(/^attachment 2 \(image\): /);
		await expect(buildPrompt(loaded, [{ role: 'user', content: 'no tag' }], [{ kind: 'image', file: picture }])).rejects.toThrow(/^attachment 1 \(image\): the messages have 0 <image> tag/);
	});
});
