import * as ort from 'onnxruntime-node';
import { pastName, presentName } from '../../src/lib/engine/export/decoder';
import { decoderStep, embedIds, type KvState } from '../../src/lib/engine/export/runtime';
import type { LlamaConfig } from '../../src/lib/engine/models/llama/config';

/** One stream's place in a batched decode step: its cache (batch 1) and the token it feeds next. */
export interface StepRow {
	kv: KvState;
	token: number;
}

/**
 * One decode step for several streams of one model in a single decoder run. Rows have caches of
 * different lengths, so each is left-padded to the longest with the padding masked out
 * (attention_mask 0) and its position ids counting its own positions only; the presents are cut back
 * into one cache per row. A single row runs as it is, with no copies.
 */
export async function batchStep(embed: ort.InferenceSession, decoder: ort.InferenceSession, config: LlamaConfig, rows: readonly StepRow[]): Promise<{ logits: Float32Array[]; kv: KvState[] }> {
	const batch = rows.length;
	const embeds = await embedIds(embed, rows.map((r) => r.token), batch);
	const vocab = config.vocab_size;
	if (batch === 1) {
		const out = await decoderStep(decoder, config, embeds, 1, rows[0].kv);
		return { logits: [out.logits], kv: [out.kv] };
	}
	const heads = config.num_key_value_heads;
	const pasts = rows.map((r) => r.kv[0].key.dims[2]);
	const past = Math.max(...pasts);
	const hs = rows[0].kv[0].key.dims[3];
	const total = past + 1;
	const mask = new BigInt64Array(batch * total);
	const positions = new BigInt64Array(batch);
	rows.forEach((_, b) => {
		for (let t = past - pasts[b]; t < total; t++) mask[b * total + t] = 1n;
		positions[b] = BigInt(pasts[b]);
	});
	const feeds: Record<string, ort.Tensor> = {
		inputs_embeds: new ort.Tensor('float32', embeds, [batch, 1, config.hidden_size]),
		attention_mask: new ort.Tensor('int64', mask, [batch, total]),
		position_ids: new ort.Tensor('int64', positions, [batch, 1])
	};
	for (let l = 0; l < config.num_hidden_layers; l++) {
		for (const part of ['key', 'value'] as const) {
			const data = new Float32Array(batch * heads * past * hs);
			rows.forEach((r, b) => {
				const src = r.kv[l][part].data as Float32Array;
				const p = pasts[b];
				for (let h = 0; h < heads; h++) data.set(src.subarray(h * p * hs, (h + 1) * p * hs), ((b * heads + h) * past + (past - p)) * hs);
			});
			feeds[pastName(l, part)] = new ort.Tensor('float32', data, [batch, heads, past, hs]);
		}
	}
	const out = await decoder.run(feeds);
	const logits = out.logits.data as Float32Array;
	const kv: KvState[] = rows.map((_, b) => {
		const keep = pasts[b] + 1;
		const from = total - keep;
		return Array.from({ length: config.num_hidden_layers }, (_, l) => {
			const cut = (part: 'key' | 'value') => {
				const src = out[presentName(l, part)].data as Float32Array;
				const data = new Float32Array(heads * keep * hs);
				for (let h = 0; h < heads; h++) data.set(src.subarray(((b * heads + h) * total + from) * hs, ((b * heads + h) * total + total) * hs), h * keep * hs);
				return new ort.Tensor('float32', data, [1, heads, keep, hs]);
			};
			return { key: cut('key'), value: cut('value') };
		});
	});
	return { logits: rows.map((_, b) => logits.subarray(b * vocab, (b + 1) * vocab)), kv };
}
