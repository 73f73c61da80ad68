import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../src/lib/engine/export/index';
import { createSession, decoderStep, embedIds, emptyKv, maxAbsDiff, type KvState } from '../../src/lib/engine/export/runtime';
import { argmax } from '../../src/lib/engine/generate/sampling';
import { resolveLlamaConfig, type LlamaConfig } from '../../src/lib/engine/models/llama/config';
import { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { DecodeBatch } from './batchStep';

let dir: string;
let config: LlamaConfig;
let embed: InferenceSession;
let decoder: InferenceSession;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'decode-batch-'));
	const model = new LlamaModel(resolveLlamaConfig({ ...resolveLlamaConfig('nano'), num_hidden_layers: 2 }), 3);
	config = model.config;
	await exportOnnx(model, dir);
	embed = await createSession(join(dir, 'embed.onnx'));
	decoder = await createSession(join(dir, 'decoder.onnx'));
}, 60_000);

afterAll(async () => {
	await embed?.release();
	await decoder?.release();
	await rm(dir, { recursive: true, force: true });
});

async function prefilled(ids: number[]): Promise<{ kv: KvState; next: number }> {
	const out = await decoderStep(decoder, config, await embedIds(embed, ids, 1), 1, emptyKv(config, 1));
	return { kv: out.kv, next: argmax(out.logits.subarray(out.logits.length - config.vocab_size)) };
}

/** Greedy tokens of one stream decoded alone. */
async function alone(ids: number[], steps: number): Promise<{ tokens: number[]; logits: Float32Array[] }> {
	let { kv, next } = await prefilled(ids);
	const tokens: number[] = [];
	const logits: Float32Array[] = [];
	for (let i = 0; i < steps; i++) {
		const out = await decoderStep(decoder, config, await embedIds(embed, [next], 1), 1, kv);
		kv = out.kv;
		logits.push(out.logits);
		next = argmax(out.logits);
		tokens.push(next);
	}
	return { tokens, logits };
}

describe('DecodeBatch', () => {
	// Slots grow by 4 here, so rows fill their slots and the cache grows several times on the way.
	it('decodes rows of different lengths as each would alone, across growth, a split and a regroup', async () => {
		const prompts = [[1, 2, 3], [10, 20, 30, 40, 50, 60, 70], [7, 8, 9, 11, 12]];
		const expected = await Promise.all(prompts.map((p) => alone(p, 6)));
		const rows = await Promise.all(prompts.map(prefilled));
		let batch = DecodeBatch.of(config, rows.map((r) => r.kv), 4);
		const next = rows.map((r) => r.next);
		const got: number[][] = prompts.map(() => []);
		for (let step = 0; step < 6; step++) {
			if (step === 3) {
				// The first row leaves: the others take their caches back and form a new batch.
				const kept = [1, 2].map((b) => batch.split(b));
				const fresh = DecodeBatch.of(config, kept, 4);
				const logits = await fresh.step(embed, decoder, [next[1], next[2]]);
				[1, 2].forEach((row, b) => {
					expect(maxAbsDiff(logits[b], expected[row].logits[step])).toBeLessThan(1e-4);
					next[row] = argmax(logits[b]);
					got[row].push(next[row]);
				});
				expect(fresh.length(0)).toBe(prompts[1].length + step + 1);
				batch = fresh;
				continue;
			}
			const live = step < 3 ? [0, 1, 2] : [1, 2];
			const logits = await batch.step(embed, decoder, live.map((row) => next[row]));
			live.forEach((row, b) => {
				expect(maxAbsDiff(logits[b], expected[row].logits[step])).toBeLessThan(1e-4);
				next[row] = argmax(logits[b]);
				got[row].push(next[row]);
			});
		}
		expect(got[0]).toEqual(expected[0].tokens.slice(0, 3));
		expect(got[1]).toEqual(expected[1].tokens);
		expect(got[2]).toEqual(expected[2].tokens);
	});

	it('hands back a cache equal to the presents of decoding alone', async () => {
		const prompt = [5, 6, 7, 8, 9];
		const { kv, next } = await prefilled(prompt);
		const batch = DecodeBatch.of(config, [kv], 4);
		let standard = (await decoderStep(decoder, config, await embedIds(embed, [next], 1), 1, kv)).kv;
		let token = argmax((await batch.step(embed, decoder, [next]))[0]);
		for (let i = 0; i < 4; i++) {
			const out = await decoderStep(decoder, config, await embedIds(embed, [token], 1), 1, standard);
			standard = out.kv;
			token = argmax((await batch.step(embed, decoder, [token]))[0]);
		}
		const mine = batch.split(0);
		expect(batch.length(0)).toBe(prompt.length + 5);
		mine.forEach((layer, l) => {
			expect(layer.key.dims).toEqual(standard[l].key.dims);
			expect(maxAbsDiff(layer.key.data as Float32Array, standard[l].key.data as Float32Array)).toBeLessThan(1e-5);
			expect(maxAbsDiff(layer.value.data as Float32Array, standard[l].value.data as Float32Array)).toBeLessThan(1e-5);
		});
	});
});
