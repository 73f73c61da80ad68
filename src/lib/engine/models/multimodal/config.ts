// Sizes of the multimodal model: the Llama-style decoder plus a ViT vision tower (images, and video
// frames with a temporal embedding), an audio tower over log-mel frames, and one MLP aligner per
// modality. Each placeholder expands to a fixed number of feature positions (as ms-swift's
// templates expand <image> to the tower's token count), so a row's length is known before any
// media is decoded.

import { resolveLlamaConfig, type LlamaConfig, type LlamaConfigInput } from '../llama/config';
import { MULTIMODAL_DEFAULT_SIZES } from '../../../shared/models/presets';
import type { MediaKind } from '../../tokenizer/specialTokens';

export interface EncoderConfig {
	hidden_size: number;
	intermediate_size: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	layer_norm_eps: number;
}

export interface VisionConfig extends EncoderConfig {
	/** Square input side in pixels; images are letterboxed to it. */
	image_size: number;
	patch_size: number;
	/**
	 * Width of a hidden GELU layer in the patch embedding (0: one linear map). A patch's edges and
	 * corners are not linear in its pixels; with the hidden layer the tower told the demo's shapes
	 * apart at 0.77 where the linear embedding reached 0.61 in the same steps.
	 */
	patch_hidden_size: number;
}

export interface AudioConfig extends EncoderConfig {
	num_mel_bins: number;
	/** Log-mel frames kept (10 ms each); shorter clips are padded with their quietest value. */
	max_frames: number;
	/** Consecutive frames stacked into one token: a stride-`frame_stack` subsampling. */
	frame_stack: number;
}

export interface MultimodalConfig {
	llm: LlamaConfig;
	vision: VisionConfig;
	audio: AudioConfig;
	/** Frames sampled evenly from each video. */
	video_frames: number;
	/**
	 * Tower tokens concatenated into one LLM position by each modality's aligner: a square window of
	 * patches for images (4 = 2x2, 16 = 4x4), the same window in every frame for videos (so one
	 * position sees how its part of the picture changes, as Qwen2-VL merges frames in time; the
	 * window must be the pictures' one, since frames share the picture aligner's first layer),
	 * consecutive tokens for audio.
	 */
	merge: Record<MediaKind, number>;
}

export type MultimodalConfigInput = {
	llm?: LlamaConfigInput;
	vision?: Partial<VisionConfig>;
	audio?: Partial<AudioConfig>;
	video_frames?: number;
	merge?: Partial<Record<MediaKind, number>>;
};

export const MULTIMODAL_DEFAULTS: Omit<MultimodalConfig, 'llm'> = MULTIMODAL_DEFAULT_SIZES;

export function patchGrid(v: VisionConfig): number {
	return v.image_size / v.patch_size;
}

/** Patches per image or frame. */
export function patchCount(v: VisionConfig): number {
	return patchGrid(v) ** 2;
}

export function audioTokenCount(a: AudioConfig): number {
	return a.max_frames / a.frame_stack;
}

/** Tower tokens per media item before the aligner merges them. */
export function towerTokens(c: MultimodalConfig, kind: MediaKind): number {
	if (kind === 'image') return patchCount(c.vision);
	if (kind === 'video') return patchCount(c.vision) * c.video_frames;
	return audioTokenCount(c.audio);
}

/** Tower tokens one LLM position of this kind concatenates. */
export function mergedTokens(c: MultimodalConfig, kind: MediaKind): number {
	return kind === 'video' ? c.merge.video * c.video_frames : c.merge[kind];
}

/** LLM positions one placeholder of this kind expands to. */
export function featureTokens(c: MultimodalConfig, kind: MediaKind): number {
	return towerTokens(c, kind) / mergedTokens(c, kind);
}

/**
 * Row order that puts a video's tower tokens (V, K, N, D frame by frame, patches in Z-order) window
 * by window: for each video and window of `window` patches, that window's patches in frame 0, then
 * frame 1, ... So the aligner's reshape sees one window through time per LLM position.
 */
export function videoWindowOrder(videos: number, frames: number, patches: number, window: number): Int32Array {
	const order = new Int32Array(videos * frames * patches);
	let at = 0;
	for (let v = 0; v < videos; v++) {
		for (let w = 0; w < patches; w += window) {
			for (let k = 0; k < frames; k++) for (let j = 0; j < window; j++) order[at++] = (v * frames + k) * patches + w + j;
		}
	}
	return order;
}

function isPowerOfFour(n: number): boolean {
	let m = n;
	while (m > 1 && m % 4 === 0) m /= 4;
	return m === 1;
}

export function resolveMultimodalConfig(input: MultimodalConfigInput = {}): MultimodalConfig {
	const d = MULTIMODAL_DEFAULTS;
	const c: MultimodalConfig = {
		llm: resolveLlamaConfig(input.llm ?? 'nano'),
		vision: { ...d.vision, ...input.vision },
		audio: { ...d.audio, ...input.audio },
		video_frames: input.video_frames ?? d.video_frames,
		merge: { ...d.merge, ...input.merge }
	};
	const grid = patchGrid(c.vision);
	if (!Number.isInteger(grid) || (grid & (grid - 1)) !== 0) throw new Error(`image_size / patch_size must be a power of two, got ${grid}`);
	for (const kind of ['image', 'video'] as const) {
		const m = c.merge[kind];
		// Patches are stored in Z-order, so any 2^k x 2^k window is a run of consecutive patches.
		if (!isPowerOfFour(m) || m > patchCount(c.vision)) throw new Error(`merge.${kind} must be a square window of patches (1, 4, 16, ...), got ${m}`);
	}
	// Video frames go through the picture aligner's first layer, window by window (see videoAligner.ts).
	if (c.merge.video !== c.merge.image) throw new Error(`merge.video must equal merge.image (${c.merge.image}): video frames share the picture aligner's first layer, got ${c.merge.video}`);
	if (c.audio.max_frames % c.audio.frame_stack !== 0) throw new Error(`audio max_frames ${c.audio.max_frames} must be a multiple of frame_stack ${c.audio.frame_stack}`);
	if (audioTokenCount(c.audio) % c.merge.audio !== 0) throw new Error(`audio tokens ${audioTokenCount(c.audio)} must be a multiple of merge.audio ${c.merge.audio}`);
	for (const e of [c.vision, c.audio]) {
		if (e.hidden_size % e.num_attention_heads !== 0) throw new Error(`tower heads ${e.num_attention_heads} must divide hidden_size ${e.hidden_size}`);
	}
	if (!(c.video_frames >= 1)) throw new Error(`video_frames must be at least 1, got ${c.video_frames}`);
	return c;
}
