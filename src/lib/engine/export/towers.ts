// The media towers and their aligners as ONNX graphs, one per kind, each ending in the features that
// replace one placeholder's rows (featureTokens of them per item):
//   image: picture (count, N * (p^2 + 3))            -> features (count, F, C)
//   audio: audio_frames (count, N, stack * mels)     -> features (count, F, C)
//   video: video (count, frames, N * (p^2 + 3))      -> features (count, F, C)
// The inputs are the engine's preprocessed tower inputs (towerInputs.ts: pictureInput,
// stackAudioFrames), so a server runs the same preprocessing and then only these graphs.
// Shapes: N patches (Z-ordered) or audio tokens, D tower width, w the merge window, K frames.

import { featureTokens, patchCount, type EncoderConfig, type MultimodalConfig } from '../models/multimodal/config';
import type { MultimodalModel } from '../models/multimodal/model';
import { pictureInputSize } from '../models/multimodal/towerInputs';
import type { MediaKind } from '../tokenizer/specialTokens';
import { GraphBuilder, type Precision } from './graph';
import { DataType } from './protobuf';
import { linearOf, WeightReader } from './weights';

interface Tower {
	g: GraphBuilder;
	weights: WeightReader;
	config: MultimodalConfig;
}

function vector(t: Tower, name: string): string {
	return t.g.initializer(name, t.weights.get(name), t.weights.shape(name));
}

function layerNorm(t: Tower, x: string, prefix: string, eps: number): string {
	return t.g.layerNorm(x, vector(t, `${prefix}.weight`), vector(t, `${prefix}.bias`), eps);
}

/** One pre-LayerNorm block (encoderBlock.ts): bidirectional attention and a GELU MLP, each under a LayerScale. x (B, N, D). */
function encoderBlock(t: Tower, x: string, prefix: string, c: EncoderConfig): string {
	const { g, weights } = t;
	const D = c.hidden_size;
	const NH = c.num_attention_heads;
	const hs = D / NH;
	const qkv = linearOf(g, weights, layerNorm(t, x, `${prefix}.norm1`, c.layer_norm_eps), `${prefix}.attn.qkv`);
	const [q, k, v] = g.opN('Split', [qkv, g.ints([D, D, D])], 3, { axis: { int: 2 } }).map((part) => g.transposed(g.reshape(part, [0, 0, NH, hs]), [0, 2, 1, 3]));
	const scores = g.op('Mul', [g.op('MatMul', [q, g.transposed(k, [0, 1, 3, 2])]), g.scalar(1 / Math.sqrt(hs))]);
	const y = g.reshape(g.transposed(g.op('MatMul', [g.op('Softmax', [scores], { axis: { int: -1 } }), v]), [0, 2, 1, 3]), [0, 0, D]);
	const h = g.op('Add', [x, g.op('Mul', [linearOf(g, weights, y, `${prefix}.attn.proj`), vector(t, `${prefix}.ls1.gamma`)])]);
	const hidden = g.gelu(linearOf(g, weights, layerNorm(t, h, `${prefix}.norm2`, c.layer_norm_eps), `${prefix}.mlp.fc1`));
	return g.op('Add', [h, g.op('Mul', [linearOf(g, weights, hidden, `${prefix}.mlp.fc2`), vector(t, `${prefix}.ls2.gamma`)])]);
}

/** Tokens (B, N, D) with positions added -> blocks -> final LayerNorm. */
function encoder(t: Tower, x: string, blocks: string, norm: string, c: EncoderConfig): string {
	let h = x;
	for (let i = 0; i < c.num_hidden_layers; i++) h = encoderBlock(t, h, `${blocks}.${i}`, c);
	return layerNorm(t, h, norm, c.layer_norm_eps);
}

/** pictures (B, N * (p^2 + 3)) -> tower tokens (B, N, D) and mean colours (B, N, 3). */
function visionTower(t: Tower, pictures: string): { tokens: string; colours: string } {
	const { g, weights } = t;
	const v = t.config.vision;
	const N = patchCount(v);
	const area = v.patch_size ** 2;
	const [luma, colours] = g.opN('Split', [pictures, g.ints([N * area, N * 3])], 2, { axis: { int: 1 } });
	let x = g.reshape(luma, [-1, N, area]);
	if (v.patch_hidden_size > 0) x = g.gelu(linearOf(g, weights, x, 'visual.patch_embed.hidden'));
	x = g.op('Add', [linearOf(g, weights, x, 'visual.patch_embed.proj'), vector(t, 'visual.pos_embed')]);
	return { tokens: encoder(t, x, 'visual.blocks', 'visual.norm', v), colours: g.reshape(colours, [-1, N, 3]) };
}

/** rows (..., width) merged `merge` at a time -> (M, merge * width), then the aligner's MLP. */
function alignerMlp(t: Tower, merged: string, kind: MediaKind): string {
	const p = `multi_modal_projector.${kind}`;
	return linearOf(t.g, t.weights, t.g.gelu(linearOf(t.g, t.weights, merged, `${p}.linear_1`)), `${p}.linear_2`);
}

function start(model: MultimodalModel, kind: MediaKind, precision: Precision): Tower {
	return { g: new GraphBuilder(kind, precision), weights: new WeightReader(model.llm), config: model.config };
}

function finish(t: Tower, kind: MediaKind, features: string): GraphBuilder {
	const F = featureTokens(t.config, kind);
	const C = t.config.llm.hidden_size;
	t.g.output('features', t.g.reshape(features, [-1, F, C]), DataType.FLOAT, ['count', F, C]);
	return t.g;
}

export function imageGraph(model: MultimodalModel, precision: Precision = 'fp32'): GraphBuilder {
	const t = start(model, 'image', precision);
	const { g, weights, config: c } = t;
	const w = c.merge.image;
	const pictures = g.input('picture', DataType.FLOAT, ['count', pictureInputSize(c.vision)]);
	const { tokens, colours } = visionTower(t, pictures);
	const out = alignerMlp(t, g.reshape(tokens, [-1, w * c.vision.hidden_size]), 'image');
	return finish(t, 'image', g.op('Add', [out, linearOf(g, weights, g.reshape(colours, [-1, w * 3]), 'multi_modal_projector.image.colour')]));
}

export function audioGraph(model: MultimodalModel, precision: Precision = 'fp32'): GraphBuilder {
	const t = start(model, 'audio', precision);
	const { g, weights, config: c } = t;
	const a = c.audio;
	const N = a.max_frames / a.frame_stack;
	const frames = g.input('audio_frames', DataType.FLOAT, ['count', N, a.frame_stack * a.num_mel_bins]);
	const x = g.op('Add', [linearOf(g, weights, frames, 'audio_tower.subsample.proj'), vector(t, 'audio_tower.pos_embed')]);
	const tokens = encoder(t, x, 'audio_tower.layers', 'audio_tower.layer_norm', a);
	return finish(t, 'audio', alignerMlp(t, g.reshape(tokens, [-1, c.merge.audio * a.hidden_size]), 'audio'));
}

/**
 * Frames through the vision tower with their temporal embedding, then each window of patches through
 * every frame (videoWindowOrder as a transpose): the picture aligner's first layer per frame window,
 * the video's second layer over the frames side by side, plus the colour map.
 */
export function videoGraph(model: MultimodalModel, precision: Precision = 'fp32'): GraphBuilder {
	const t = start(model, 'video', precision);
	const { g, weights, config: c } = t;
	const K = c.video_frames;
	const N = patchCount(c.vision);
	const D = c.vision.hidden_size;
	const w = c.merge.video;
	const video = g.input('video', DataType.FLOAT, ['count', K, pictureInputSize(c.vision)]);
	const { tokens, colours } = visionTower(t, g.reshape(video, [-1, pictureInputSize(c.vision)]));
	// (count * K, N, D) -> (count, K, N, D) + temporal (K, 1, D)
	const temporal = g.unsqueeze(vector(t, 'visual.temporal_embed'), [1]);
	const timed = g.op('Add', [g.reshape(tokens, [-1, K, N, D]), temporal]);
	// (count, K, N/w, w, X) -> (count, N/w, K, w, X): per position, its window in frame 0, 1, ...
	const windows = (x: string, width: number) => g.transposed(g.reshape(x, [-1, K, N / w, w, width]), [0, 2, 1, 3, 4]);
	const hidden = g.gelu(linearOf(g, weights, g.reshape(windows(timed, D), [-1, w * D]), 'multi_modal_projector.image.linear_1'));
	const out = linearOf(g, weights, g.reshape(hidden, [-1, K * c.llm.hidden_size]), 'multi_modal_projector.video.linear_2');
	return finish(t, 'video', g.op('Add', [out, linearOf(g, weights, g.reshape(windows(colours, 3), [-1, K * w * 3]), 'multi_modal_projector.video.colour')]));
}

export const TOWER_GRAPHS: Record<MediaKind, (model: MultimodalModel, precision?: Precision) => GraphBuilder> = { image: imageGraph, audio: audioGraph, video: videoGraph };
