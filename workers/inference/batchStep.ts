import * as ort from 'onnxruntime-node';
import { pastName, presentNewName } from '../../src/lib/engine/export/decoder';
import { embedIds, type KvState } from '../../src/lib/engine/export/runtime';
import { headDim, type LlamaConfig } from '../../src/lib/engine/models/llama/config';

/** Slots a batch's cache grows by when a row runs out: a few dozen masked slots cost less than copying the cache each step. */
export const SLOT_CHUNK = 32;

/**
 * Several streams of one model decoding together, one decoder run per step for all of them (a batch
 * of one is a lone stream). The cache lives here, in slots of a fixed capacity per row and layer:
 * each run reads every slot where it lies, the slots a row has not filled masked out
 * (attention_mask 0), and fetches only the new token's keys and values (present_new), which go into
 * the row's next slot. So a step allocates almost nothing, whatever the cache's length: taking the
 * whole cache back from every run (present) would hand the thread megabytes of fresh buffers per
 * step, and their garbage collections would cost more than the runs. Each row's position ids count
 * its own tokens. When the set of streams changes, `split` hands each row its cache back (batch 1,
 * no empty slots) to regroup.
 */
export class DecodeBatch {
	/** Per layer, (batch, NKV, capacity, hs) each; row b's first lengths[b] slots hold its cache. */
	private keys: Float32Array[];
	private values: Float32Array[];
	private capacity: number;
	private readonly fetches: string[];

	private constructor(
		private readonly config: LlamaConfig,
		private readonly lengths: number[],
		private readonly chunk: number
	) {
		this.capacity = 0;
		this.keys = [];
		this.values = [];
		this.fetches = ['logits'];
		for (let l = 0; l < config.num_hidden_layers; l++) this.fetches.push(presentNewName(l, 'key'), presentNewName(l, 'value'));
	}

	get size(): number {
		return this.lengths.length;
	}

	/** A batch from caches of batch 1 each (as a prefill's presents give them). */
	static of(config: LlamaConfig, caches: readonly KvState[], chunk = SLOT_CHUNK): DecodeBatch {
		const batch = new DecodeBatch(config, caches.map((kv) => kv[0].key.dims[2]), chunk);
		batch.resize(caches.map((kv) => kv.map((layer) => layer.key.data as Float32Array)), caches.map((kv) => kv.map((layer) => layer.value.data as Float32Array)));
		return batch;
	}

	/** Row b's slots of one layer's buffer: (NKV, capacity, hs) from the start of the row. */
	private rowOffset(b: number): number {
		return b * this.config.num_key_value_heads * this.capacity * headDim(this.config);
	}

	/**
	 * New buffers with room for every row's next token and `chunk` slots spare at most: `keys[b][l]`
	 * and `values[b][l]` are row b's (NKV, stride, hs) data of layer l, stride its old capacity or length.
	 */
	private resize(keys: Float32Array[][], values: Float32Array[][], stride: (b: number) => number = (b) => this.lengths[b]): void {
		const heads = this.config.num_key_value_heads;
		const hs = headDim(this.config);
		this.capacity = Math.ceil((Math.max(...this.lengths) + 1) / this.chunk) * this.chunk;
		const fill = (rows: Float32Array[][], l: number) => {
			const data = new Float32Array(this.size * heads * this.capacity * hs);
			rows.forEach((row, b) => {
				const src = row[l];
				const from = stride(b);
				const n = this.lengths[b] * hs;
				for (let h = 0; h < heads; h++) data.set(src.subarray(h * from * hs, h * from * hs + n), this.rowOffset(b) + h * this.capacity * hs);
			});
			return data;
		};
		const layers = this.config.num_hidden_layers;
		this.keys = Array.from({ length: layers }, (_, l) => fill(keys, l));
		this.values = Array.from({ length: layers }, (_, l) => fill(values, l));
	}

	/** More slots when a row has filled its last. */
	private ensureRoom(): void {
		if (Math.max(...this.lengths) < this.capacity) return;
		const heads = this.config.num_key_value_heads;
		const hs = headDim(this.config);
		const old = this.capacity;
		const rowsOf = (buffers: Float32Array[]) => this.lengths.map((_, b) => buffers.map((data) => data.subarray(b * heads * old * hs, (b + 1) * heads * old * hs)));
		this.resize(rowsOf(this.keys), rowsOf(this.values), () => old);
	}

	/** Feeds one token per row; returns each row's logits over the vocabulary. */
	async step(embed: ort.InferenceSession, decoder: ort.InferenceSession, tokens: readonly number[]): Promise<Float32Array[]> {
		this.ensureRoom();
		const c = this.config;
		const batch = this.size;
		const heads = c.num_key_value_heads;
		const hs = headDim(c);
		const total = this.capacity + 1;
		const mask = new BigInt64Array(batch * total);
		const positions = new BigInt64Array(batch);
		this.lengths.forEach((length, b) => {
			mask.fill(1n, b * total, b * total + length);
			mask[b * total + this.capacity] = 1n;
			positions[b] = BigInt(length);
		});
		const feeds: Record<string, ort.Tensor> = {
			inputs_embeds: new ort.Tensor('float32', await embedIds(embed, tokens, batch), [batch, 1, c.hidden_size]),
			attention_mask: new ort.Tensor('int64', mask, [batch, total]),
			position_ids: new ort.Tensor('int64', positions, [batch, 1])
		};
		const dims = [batch, heads, this.capacity, hs];
		for (let l = 0; l < c.num_hidden_layers; l++) {
			feeds[pastName(l, 'key')] = new ort.Tensor('float32', this.keys[l], dims);
			feeds[pastName(l, 'value')] = new ort.Tensor('float32', this.values[l], dims);
		}
		const out = await decoder.run(feeds, this.fetches);
		for (let l = 0; l < c.num_hidden_layers; l++) {
			this.write(this.keys[l], out[presentNewName(l, 'key')].data as Float32Array);
			this.write(this.values[l], out[presentNewName(l, 'value')].data as Float32Array);
		}
		this.lengths.forEach((_, b) => this.lengths[b]++);
		const logits = out.logits.data as Float32Array;
		return this.lengths.map((_, b) => logits.subarray(b * c.vocab_size, (b + 1) * c.vocab_size));
	}

	/** A step's new keys or values, (batch, NKV, 1, hs), into each row's next slot. */
	private write(slots: Float32Array, fresh: Float32Array): void {
		const heads = this.config.num_key_value_heads;
		const hs = headDim(this.config);
		this.lengths.forEach((length, b) => {
			for (let h = 0; h < heads; h++) {
				const from = (b * heads + h) * hs;
				slots.set(fresh.subarray(from, from + hs), this.rowOffset(b) + (h * this.capacity + length) * hs);
			}
		});
	}

	/** Row b's own cache (batch 1, no empty slots). */
	split(b: number): KvState {
		const heads = this.config.num_key_value_heads;
		const hs = headDim(this.config);
		const keep = this.lengths[b];
		const cut = (data: Float32Array) => {
			const out = new Float32Array(heads * keep * hs);
			for (let h = 0; h < heads; h++) {
				const from = this.rowOffset(b) + h * this.capacity * hs;
				out.set(data.subarray(from, from + keep * hs), h * keep * hs);
			}
			return new ort.Tensor('float32', out, [1, heads, keep, hs]);
		};
		return this.keys.map((_, l) => ({ key: cut(this.keys[l]), value: cut(this.values[l]) }));
	}

	/** Tokens in row b's cache (its position count). */
	length(b: number): number {
		return this.lengths[b];
	}
}
