// exportOnnx end to end: the files and manifest it writes, the int8 variant's size and logit error,
// decoding from the written files, and its refusals.

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MultimodalModel } from '../models/multimodal/model';
import { TINY_MULTIMODAL } from '../models/multimodal/testModel';
import { applyTuner } from '../tuners/apply';
import { mergeAdapters } from '../tuners/merge';
import { IMAGE_ID } from '../tokenizer/specialTokens';
import { exportOnnx } from './index';
import { createSession, decoderStep, embedIds, emptyKv, maxAbsDiff } from './runtime';
import { engineRun, scrambleWeights } from './testing';

/** The int8 variant's logits stay this close to fp32 on the probe prompts (weights of +-0.3, logits of size ~5). */
const INT8_BOUND = 0.1;

const dirs: string[] = [];
async function tempDir(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'onnx-export-'));
	dirs.push(dir);
	return dir;
}
afterAll(async () => {
	for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('exportOnnx', () => {
	it('writes fp32 and int8 graphs with a manifest, and reports the int8 size and logit error', async () => {
		const model = new MultimodalModel(TINY_MULTIMODAL, 21);
		scrambleWeights(model.llm, 22);
		const dir = await tempDir();
		const result = await exportOnnx(model, dir, { quantize: 'int8' });
		const names = result.files.map((f) => f.slice(dir.length + 1));
		expect(names).toEqual(['embed.onnx', 'decoder.onnx', 'decoder.int8.onnx', 'image.onnx', 'image.int8.onnx', 'audio.onnx', 'audio.int8.onnx', 'video.onnx', 'video.int8.onnx', 'manifest.json']);
		for (const f of result.files) expect((await stat(f)).size).toBe(result.bytes[f.slice(dir.length + 1)]);
		expect(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(result.manifest)));

		const m = result.manifest;
		expect(m.graphs.decoder.files).toEqual({ fp32: 'decoder.onnx', int8: 'decoder.int8.onnx' });
		expect(m.graphs.embed.files).toEqual({ fp32: 'embed.onnx', int8: 'embed.onnx' });
		expect(m.graphs.decoder.inputs.map((i) => i.name)).toEqual(['inputs_embeds', 'attention_mask', 'position_ids', 'past_key_values.0.key', 'past_key_values.0.value']);
		expect(m.graphs.decoder.outputs.find((o) => o.name === 'present.0.key')?.dims).toEqual(['batch', 1, 'total_sequence', 8]);
		expect(m.media.image).toMatchObject({ placeholder_token_id: IMAGE_ID, feature_tokens: model.featureTokens('image') });
		expect(m.media.video?.feature_tokens).toBe(model.featureTokens('video'));
		expect(m.tokenizer).toMatchObject({ vocab_size: model.config.llm.vocab_size, special_tokens: { '<|bos|>': 257, '<image>': IMAGE_ID } });

		for (const kind of ['decoder', 'image', 'audio', 'video']) expect(result.bytes[`${kind}.int8.onnx`]).toBeLessThan(result.bytes[`${kind}.onnx`]);
		expect(result.int8MaxLogitError).toBeGreaterThan(0);
		expect(result.int8MaxLogitError).toBeLessThan(INT8_BOUND);
		expect(m.quantization?.int8).toMatchObject({ max_logit_error: result.int8MaxLogitError, bytes: result.totals.int8 });
	});

	it('writes embed and decoder only for a text model; the files decode like the engine', async () => {
		const model = new MultimodalModel(TINY_MULTIMODAL, 23).llm;
		scrambleWeights(model, 24);
		const dir = await tempDir();
		const result = await exportOnnx(model, dir);
		expect(Object.keys(result.manifest.graphs)).toEqual(['embed', 'decoder']);
		expect(result.manifest.model_type).toBe('llama');
		expect(result.int8MaxLogitError).toBeUndefined();
		const ids = [257, 260, 72, 105, 262, 261];
		const expected = engineRun(() => model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: ids.length }));
		const config = model.config;
		const embeds = await embedIds(await createSession(join(dir, 'embed.onnx')), ids, 1);
		const decoder = await createSession(join(dir, 'decoder.onnx'));
		let step = await decoderStep(decoder, config, embeds.slice(0, 3 * config.hidden_size), 1, emptyKv(config, 1));
		const V = config.vocab_size;
		for (let t = 3; t < ids.length; t++) step = await decoderStep(decoder, config, embeds.slice(t * config.hidden_size, (t + 1) * config.hidden_size), 1, step.kv);
		expect(maxAbsDiff(step.logits, expected.slice((ids.length - 1) * V))).toBeLessThan(1e-4);
	});

	it('refuses an unmerged adapter and an unknown quantisation', async () => {
		const model = new MultimodalModel(TINY_MULTIMODAL, 25);
		applyTuner(model.llm, { tuner_type: 'lora', lora_rank: 2 });
		const dir = await tempDir();
		await expect(exportOnnx(model, dir)).rejects.toThrow(/carries an adapter; fold it in with mergeAdapters/);
		mergeAdapters(model.llm);
		await expect(exportOnnx(model, dir, { quantize: 'int4' as 'int8' })).rejects.toThrow(/quantize must be 'int8' or absent, got "int4"/);
		await expect(exportOnnx(model, dir)).resolves.toMatchObject({ manifest: { model_type: 'multimodal' } });
	});
});
