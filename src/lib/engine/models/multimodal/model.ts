// The multimodal model: towers and aligners around the Llama-style decoder. A forward embeds the
// token ids, runs every media item of the batch through its tower and aligner (all items of a kind
// as one tower batch), splices the features over the placeholder positions, and continues through
// the decoder from those embeddings (LlamaModel's inputsEmbeds path).

import { linear } from '../../autograd/ops/index';
import type { Segment } from '../../autograd/ops/segments';
import { fromArray } from '../../tensor/create';
import type { Tensor } from '../../tensor/tensor';
import { IGNORE_INDEX, type MediaKind } from '../../tokenizer/specialTokens';
import { LlamaModel } from '../llama/model';
import { Aligner } from './aligner';
import { AudioTower } from './audioTower';
import { featureTokens, patchCount, resolveMultimodalConfig, towerTokens, videoWindowOrder, type MultimodalConfig, type MultimodalConfigInput } from './config';
import { gatherRows } from '../../autograd/ops/gatherRows';
import { spliceFeatures, type SpliceSource } from '../../autograd/ops/splice';
import { ParamRegistry } from './registry';
import { pictureInputSize, splitPictures } from './towerInputs';
import { VideoAligner } from './videoAligner';
import { VisionTower } from './visionTower';

export const MEDIA_KINDS: readonly MediaKind[] = ['image', 'audio', 'video'];

/** Every item of one kind in a batch, in placeholder order. */
export interface MediaGroup {
	/** Tower inputs back to back: per item one picture input (see pictureInput), K of them for a video, or (N, stack * mels) audio. */
	data: Float32Array;
	count: number;
	/** (count * featureTokens) flat positions b * T + t that the features replace, item by item. */
	rows: Int32Array;
}

export interface MultimodalInput {
	batchSize: number;
	seqLength: number;
	/** (B * T) ids; placeholder positions hold the media token, overwritten by features. */
	inputIds: Int32Array;
	media: Partial<Record<MediaKind, MediaGroup>>;
	/** Several samples packed into a row (see packMultimodal); absent means one sample per row. */
	segments?: readonly Segment[];
}

export class MultimodalModel {
	readonly config: MultimodalConfig;
	readonly llm: LlamaModel;
	readonly vision: VisionTower;
	readonly audio: AudioTower;
	readonly aligners: { image: Aligner; audio: Aligner; video: VideoAligner };

	constructor(config: MultimodalConfigInput | MultimodalConfig = {}, seed = 42) {
		const c = (this.config = resolveMultimodalConfig(config as MultimodalConfigInput));
		this.llm = new LlamaModel(c.llm, seed);
		const reg = new ParamRegistry(this.llm, seed);
		this.vision = new VisionTower(c.vision, c.video_frames, reg);
		this.audio = new AudioTower(c.audio, reg);
		const C = c.llm.hidden_size;
		const image = new Aligner('image', c.vision.hidden_size, c.merge.image, C, reg, 3);
		this.aligners = {
			image,
			audio: new Aligner('audio', c.audio.hidden_size, c.merge.audio, C, reg),
			video: new VideoAligner(image.linear1, c.merge.video, c.video_frames, C, reg)
		};
	}

	/** Values of tower input per media item of this kind. */
	inputSize(kind: MediaKind): number {
		const c = this.config;
		if (kind === 'audio') return towerTokens(c, kind) * c.audio.frame_stack * c.audio.num_mel_bins;
		return pictureInputSize(c.vision) * (kind === 'video' ? c.video_frames : 1);
	}

	/** LLM positions per placeholder of this kind. */
	featureTokens(kind: MediaKind): number {
		return featureTokens(this.config, kind);
	}

	/** A group's tower inputs -> aligned features (count * featureTokens, C). */
	features(kind: MediaKind, group: MediaGroup): Tensor {
		const per = this.inputSize(kind);
		if (group.data.length !== group.count * per) throw new Error(`engine: ${group.count} ${kind} input(s) need ${group.count * per} values, got ${group.data.length}`);
		const step = this.llm.adapterStep;
		const c = this.config;
		if (kind === 'audio') {
			const width = per / towerTokens(c, kind);
			return this.aligners.audio.forward(this.audio.forward(fromArray(group.data, [group.data.length / width, width]), step), step);
		}
		const split = splitPictures(group.data, c.vision);
		const area = c.vision.patch_size ** 2;
		const luma = fromArray(split.luma, [split.luma.length / area, area]);
		const colours = fromArray(split.colours, [split.colours.length / 3, 3]);
		if (kind === 'image') return this.aligners.image.forward(this.vision.forward(luma, step), step, colours);
		const order = videoWindowOrder(group.count, c.video_frames, patchCount(c.vision), c.merge.video);
		return this.aligners.video.forward(gatherRows(this.vision.forwardVideo(luma, step), order), step, gatherRows(colours, order));
	}

	/** Aligned features of every media item in the input, with the rows they replace. */
	mediaFeatures(input: MultimodalInput): SpliceSource[] {
		const sources: SpliceSource[] = [];
		for (const kind of MEDIA_KINDS) {
			const group = input.media[kind];
			if (!group || group.count === 0) continue;
			if (group.rows.length !== group.count * this.featureTokens(kind)) throw new Error(`engine: ${group.count} ${kind} item(s) need ${group.count * this.featureTokens(kind)} rows, got ${group.rows.length}`);
			sources.push({ features: this.features(kind, group), rows: group.rows });
		}
		return sources;
	}

	/**
	 * (B, T, C) decoder input: token embeddings with features over the placeholders. Generation
	 * passes the features computed once for the prompt, since appending tokens leaves their rows.
	 */
	embed(input: MultimodalInput, sources: SpliceSource[] = this.mediaFeatures(input)): Tensor {
		const embeds = this.llm.embed(input.inputIds, input.batchSize, input.seqLength);
		return sources.length ? spliceFeatures(embeds, sources) : embeds;
	}

	/** Logits (B, T, V). */
	forward(input: MultimodalInput, sources?: SpliceSource[]): Tensor {
		return this.llm.forward({ inputsEmbeds: this.embed(input, sources), batchSize: input.batchSize, seqLength: input.seqLength, segments: input.segments });
	}

	/**
	 * Logits (n, V) at only the n positions whose next-token label (B * T, IGNORE_INDEX where
	 * untrained) is trained, with those labels: the loss reads no others, and the prompt and media
	 * positions are most of a row, so the LM head's work shrinks by that much.
	 */
	trainedLogits(input: MultimodalInput, labels: Int32Array): { logits: Tensor; labels: Int32Array } {
		const rows = Int32Array.from(labels.keys()).filter((r) => labels[r] !== IGNORE_INDEX);
		const hidden = this.llm.hidden({ inputsEmbeds: this.embed(input), batchSize: input.batchSize, seqLength: input.seqLength, segments: input.segments });
		return { logits: linear(gatherRows(hidden, rows), this.llm.lmHead), labels: Int32Array.from(rows, (r) => labels[r]) };
	}
}
