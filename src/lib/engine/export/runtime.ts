// Runs exported graphs with onnxruntime-node's CPU provider: the export's own int8 check and the
// parity tests use it, and it shows a server the calling convention (embed, splice, prefill with
// empty pasts, then one token per run with the presents fed back).

import * as ort from 'onnxruntime-node';
import { headDim, type LlamaConfig } from '../models/llama/config';
import type { MultimodalConfig } from '../models/multimodal/config';
import type { MediaKind } from '../tokenizer/specialTokens';
import { pastName, presentName } from './decoder';

export function createSession(model: Uint8Array | string): Promise<ort.InferenceSession> {
	const options: ort.InferenceSession.SessionOptions = { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1 };
	return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

export function float32(data: Float32Array, dims: readonly number[]): ort.Tensor {
	return new ort.Tensor('float32', data, dims);
}

export function int64(values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
	return new ort.Tensor('int64', BigInt64Array.from(Array.from(values), (v) => BigInt(v)), dims);
}

/** Runs a one-output graph. */
export async function runSingle(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
	const out = await session.run(feeds);
	return out[session.outputNames[0]].data as Float32Array;
}

/** The feed of a media graph (towers.ts) from `count` tower inputs back to back, as the engine's media pipeline makes them. */
export function towerFeeds(c: MultimodalConfig, kind: MediaKind, data: Float32Array, count: number): Record<string, ort.Tensor> {
	const per = data.length / count;
	if (kind === 'audio') return { audio_frames: float32(data, [count, c.audio.max_frames / c.audio.frame_stack, c.audio.frame_stack * c.audio.num_mel_bins]) };
	if (kind === 'video') return { video: float32(data, [count, c.video_frames, per / c.video_frames]) };
	return { picture: float32(data, [count, per]) };
}

/** ids (batch * sequence) -> embeddings (batch * sequence * C). */
export function embedIds(session: ort.InferenceSession, ids: ArrayLike<number>, batch: number): Promise<Float32Array> {
	return runSingle(session, { input_ids: int64(ids, [batch, ids.length / batch]) });
}

/** Keys and values of every layer so far, (batch, NKV, past, hs) each. */
export type KvState = { key: ort.Tensor; value: ort.Tensor }[];

export function emptyKv(config: LlamaConfig, batch: number): KvState {
	const dims = [batch, config.num_key_value_heads, 0, headDim(config)];
	return Array.from({ length: config.num_hidden_layers }, () => ({ key: float32(new Float32Array(0), dims), value: float32(new Float32Array(0), dims) }));
}

/**
 * One decoder run over `sequence` new positions per row (every position kept by the mask, positions
 * continuing after the past): the prefill when kv is empty, one step of decoding when sequence is 1.
 */
export async function decoderStep(session: ort.InferenceSession, config: LlamaConfig, embeds: Float32Array, batch: number, kv: KvState): Promise<{ logits: Float32Array; kv: KvState }> {
	const sequence = embeds.length / (batch * config.hidden_size);
	const past = kv[0].key.dims[2];
	const feeds: Record<string, ort.Tensor> = {
		inputs_embeds: float32(embeds, [batch, sequence, config.hidden_size]),
		attention_mask: int64(new Array(batch * (past + sequence)).fill(1), [batch, past + sequence]),
		position_ids: int64(Array.from({ length: batch * sequence }, (_, i) => past + (i % sequence)), [batch, sequence])
	};
	kv.forEach((layer, l) => {
		feeds[pastName(l, 'key')] = layer.key;
		feeds[pastName(l, 'value')] = layer.value;
	});
	const out = await session.run(feeds);
	return {
		logits: out.logits.data as Float32Array,
		kv: kv.map((_, l) => ({ key: out[presentName(l, 'key')], value: out[presentName(l, 'value')] }))
	};
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	if (a.length !== b.length) throw new Error(`compare: ${a.length} values against ${b.length}`);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
}
