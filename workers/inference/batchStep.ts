import * as ort from 'onnxruntime-node';
import { pastName, presentName } from '../../src/lib/engine/export/decoder';
import { embedIds, type KvState } from '../../src/lib/engine/export/runtime';
import type { LlamaConfig } from '../../src/lib/engine/models/llama/config';

/**
 * Several streams of one model decoding together, one decoder run per step for all of them. Their
 * caches differ in length, so each row is left-padded to the longest, the padding masked out
 * (attention_mask 0) and each row's position ids counting its own positions only. The presents of a
 * step are the next step's pasts as they are: nothing is copied while the rows stay the same. When
 * the set of streams changes, `split` hands each row its own cache back (batch 1) to regroup.
 */
export class DecodeBatch {
	private kv: KvState;
	/** Cache length including padding, and each row's padding. */
	private past: number;

	private constructor(
		private readonly config: LlamaConfig,
		kv: KvState,
		private readonly pads: number[]
	) {
		this.kv = kv;
		this.past = kv[0].key.dims[2];
	}

	get size(): number {
		return this.pads.length;
	}

	/** A batch from caches of batch 1 each. A single cache is used as it is. */
	static of(config: LlamaConfig, caches: readonly KvState[]): DecodeBatch {
		if (caches.length === 1) return new DecodeBatch(config, caches[0], [0]);
		const lengths = caches.map((kv) => kv[0].key.dims[2]);
		const past = Math.max(...lengths);
		const heads = config.num_key_value_heads;
		const hs = caches[0][0].key.dims[3];
		const kv: KvState = Array.from({ length: config.num_hidden_layers }, (_, l) => {
			const pad = (part: 'key' | 'value') => {
				const data = new Float32Array(caches.length * heads * past * hs);
				caches.forEach((cache, b) => {
					const src = cache[l][part].data as Float32Array;
					const p = lengths[b];
					for (let h = 0; h < heads; h++) data.set(src.subarray(h * p * hs, (h + 1) * p * hs), ((b * heads + h) * past + (past - p)) * hs);
				});
				return new ort.Tensor('float32', data, [caches.length, heads, past, hs]);
			};
			return { key: pad('key'), value: pad('value') };
		});
		return new DecodeBatch(config, kv, lengths.map((p) => past - p));
	}

	/** Feeds one token per row; returns each row's logits over the vocabulary. */
	async step(embed: ort.InferenceSession, decoder: ort.InferenceSession, tokens: readonly number[]): Promise<Float32Array[]> {
		const c = this.config;
		const batch = this.pads.length;
		const total = this.past + 1;
		const mask = new BigInt64Array(batch * total);
		const positions = new BigInt64Array(batch);
		this.pads.forEach((pad, b) => {
			mask.fill(1n, b * total + pad, (b + 1) * total);
			positions[b] = BigInt(this.past - pad);
		});
		const feeds: Record<string, ort.Tensor> = {
			inputs_embeds: new ort.Tensor('float32', await embedIds(embed, tokens, batch), [batch, 1, c.hidden_size]),
			attention_mask: new ort.Tensor('int64', mask, [batch, total]),
			position_ids: new ort.Tensor('int64', positions, [batch, 1])
		};
		this.kv.forEach((layer, l) => {
			feeds[pastName(l, 'key')] = layer.key;
			feeds[pastName(l, 'value')] = layer.value;
		});
		const out = await decoder.run(feeds);
		this.kv = this.kv.map((_, l) => ({ key: out[presentName(l, 'key')], value: out[presentName(l, 'value')] }));
		this.past = total;
		const logits = out.logits.data as Float32Array;
		return this.pads.map((_, b) => logits.subarray(b * c.vocab_size, (b + 1) * c.vocab_size));
	}

	/** Row b's own cache (batch 1, no padding). */
	split(b: number): KvState {
		if (this.pads.length === 1) return this.kv;
		const heads = this.config.num_key_value_heads;
		const hs = this.kv[0].key.dims[3];
		const keep = this.past - this.pads[b];
		return this.kv.map((layer) => {
			const cut = (tensor: ort.Tensor) => {
				const src = tensor.data as Float32Array;
				const data = new Float32Array(heads * keep * hs);
				for (let h = 0; h < heads; h++) data.set(src.subarray(((b * heads + h) * this.past + this.pads[b]) * hs, ((b * heads + h) + 1) * this.past * hs), h * keep * hs);
				return new ort.Tensor('float32', data, [1, heads, keep, hs]);
			};
			return { key: cut(layer.key), value: cut(layer.value) };
		});
	}

	/** Tokens in row b's cache (its position count). */
	length(b: number): number {
		return this.past - this.pads[b];
	}
}
