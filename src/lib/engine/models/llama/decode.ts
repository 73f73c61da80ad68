// Incremental decoding with a KV cache: each new token runs through the layers alone, attending to
// the rotated keys and values cached for every earlier position, so generating n tokens costs n
// single-token passes instead of n full re-reads of the sequence. The cache lives on the host; the
// per-token attention (one query row per head against the cache) is small enough for plain loops.

import { add, reshape, rmsNorm, swiglu, linear } from '../../autograd/ops/index';
import { beginStep, noGrad } from '../../autograd/tape';
import { ropeAtRows } from '../../autograd/ops/ropeAt';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { headDim } from './config';
import type { LlamaModel } from './model';

export class KvCache {
	readonly keys: Float32Array[];
	readonly values: Float32Array[];
	readonly capacity: number;
	length = 0;

	constructor(model: LlamaModel, capacity = model.config.max_position_embeddings) {
		const width = model.config.num_key_value_heads * headDim(model.config);
		this.capacity = capacity;
		this.keys = model.layers.map(() => new Float32Array(capacity * width));
		this.values = model.layers.map(() => new Float32Array(capacity * width));
	}
}

/** Softmax attention of one query row q (NH * hs) over positions [0, n) of a layer's cache. */
function attendCached(q: Float32Array, keys: Float32Array, values: Float32Array, n: number, NH: number, NKV: number, hs: number): Float32Array {
	const out = new Float32Array(NH * hs);
	const scores = new Float64Array(n);
	const width = NKV * hs;
	const scale = 1 / Math.sqrt(hs);
	for (let h = 0; h < NH; h++) {
		const g = Math.floor(h / (NH / NKV));
		let max = -Infinity;
		for (let u = 0; u < n; u++) {
			let d = 0;
			for (let i = 0; i < hs; i++) d += q[h * hs + i] * keys[u * width + g * hs + i];
			scores[u] = d * scale;
			max = Math.max(max, scores[u]);
		}
		let z = 0;
		for (let u = 0; u < n; u++) z += scores[u] = Math.exp(scores[u] - max);
		for (let u = 0; u < n; u++) {
			const p = scores[u] / z;
			for (let i = 0; i < hs; i++) out[h * hs + i] += p * values[u * width + g * hs + i];
		}
	}
	return out;
}

/**
 * Fills an empty cache with a whole prompt in one batched forward (the layers hand their rotated
 * keys and values to the cache as they go); returns the last position's next-token logits (V).
 */
export function prefill(model: LlamaModel, cache: KvCache, ids: readonly number[]): Float32Array {
	if (cache.length !== 0) throw new Error('prefill needs an empty KV cache');
	if (ids.length > cache.capacity) throw new Error(`prompt of ${ids.length} tokens exceeds the KV cache (${cache.capacity})`);
	const T = ids.length;
	const before = model.adapterStep;
	model.adapterStep = { enabled: before.enabled, training: false, seed: 0 };
	model.kvSink = (l, k, v) => {
		cache.keys[l].set(k.f32(), 0);
		cache.values[l].set(v.f32(), 0);
	};
	try {
		const logits = noGrad(() => {
			beginStep();
			return model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: T }).toArray();
		});
		cache.length = T;
		const V = model.config.vocab_size;
		return logits.slice((T - 1) * V);
	} finally {
		model.kvSink = null;
		model.adapterStep = before;
	}
}

/** Feeds one token at position cache.length; returns its next-token logits (V). */
export function decodeToken(model: LlamaModel, cache: KvCache, id: number): Float32Array {
	return decodeRows(model, [cache], [id]);
}

/**
 * Feeds one token to each of several sequences, token b at position caches[b].length of its own
 * cache: the projections, MLPs and LM head run once for all rows, attention per row over its own
 * cache. Returns the rows' next-token logits back to back (B * V).
 */
export function decodeRows(model: LlamaModel, caches: readonly KvCache[], ids: readonly number[]): Float32Array {
	const B = caches.length;
	if (ids.length !== B) throw new Error(`decodeRows: ${B} caches but ${ids.length} tokens`);
	for (const cache of caches) if (cache.length >= cache.capacity) throw new Error(`KV cache full at ${cache.capacity} positions`);
	const c = model.config;
	const hs = headDim(c);
	const NH = c.num_attention_heads;
	const NKV = c.num_key_value_heads;
	const width = NKV * hs;
	const positions = caches.map((cache) => cache.length);
	const step = { enabled: model.adapterStep.enabled, training: false, seed: 0 };
	const logits = noGrad(() => {
		beginStep();
		let x: Tensor = model.embed(Int32Array.from(ids), B, 1);
		model.layers.forEach((layer, l) => {
			const a = rmsNorm(x, layer.inputNorm, c.rms_norm_eps);
			const q = ropeAtRows(reshape(layer.q.forward(a, step), [B, 1, NH, hs]), model.rope, positions).f32();
			const k = ropeAtRows(reshape(layer.k.forward(a, step), [B, 1, NKV, hs]), model.rope, positions).f32();
			const v = layer.v.forward(a, step).f32();
			const y = new Float32Array(B * NH * hs);
			caches.forEach((cache, b) => {
				const pos = positions[b];
				cache.keys[l].set(k.subarray(b * width, (b + 1) * width), pos * width);
				cache.values[l].set(v.subarray(b * width, (b + 1) * width), pos * width);
				y.set(attendCached(q.subarray(b * NH * hs, (b + 1) * NH * hs), cache.keys[l], cache.values[l], pos + 1, NH, NKV, hs), b * NH * hs);
			});
			const h = add(x, layer.o.forward(fromArray(y, [B, 1, NH * hs]), step));
			const m = rmsNorm(h, layer.postNorm, c.rms_norm_eps);
			x = add(h, layer.down.forward(swiglu(layer.gate.forward(m, step), layer.up.forward(m, step)), step));
		});
		const out = rmsNorm(x, model.params.get('model.norm.weight') as Tensor, c.rms_norm_eps);
		return linear(out, model.lmHead).toArray();
	});
	for (const cache of caches) cache.length++;
	return logits;
}
