// Rows to token sequences with media: each placeholder token is repeated as many times as its
// modality has feature positions (ms-swift's templates expand <image> the same way), labels stay
// ignored there, and the collated batch records which flat rows every item's features replace.

import { collateBatch } from '../../data/collate';
import { writeNextTokenLabels } from '../../data/tokenizedSample';
import type { Segment } from '../../autograd/ops/segments';
import { IGNORE_INDEX, type MediaKind } from '../../tokenizer/specialTokens';
import type { MediaPlaceholder } from '../../tokenizer/mediaPlaceholders';
import type { MediaGroup, MultimodalInput } from './model';

export interface MediaItem {
	kind: MediaKind;
	/** First expanded position of this item in the sample, and how many positions it fills. */
	start: number;
	length: number;
	/** Tower input (see MediaGroup.data), shared with the media cache: never written. */
	data: Float32Array;
}

export interface MultimodalSample {
	inputIds: Int32Array;
	/** Aligned with inputIds (HF convention); IGNORE_INDEX where untrained. */
	labels: Int32Array;
	/** In placeholder order. */
	media: MediaItem[];
}

export interface MultimodalBatch extends MultimodalInput {
	/** (B * T) next-token targets. */
	labels: Int32Array;
	trainedTokens: number;
}

export interface Expanded {
	inputIds: Int32Array;
	labels: Int32Array;
	/** Expanded start of each placeholder, in order. */
	starts: number[];
}

/** ids/labels with every placeholder repeated tokensFor(kind) times. */
export function expandPlaceholders(ids: readonly number[], labels: readonly number[] | null, placeholders: readonly MediaPlaceholder[], tokensFor: (kind: MediaKind) => number): Expanded {
	const length = ids.length + placeholders.reduce((s, p) => s + tokensFor(p.kind) - 1, 0);
	const outIds = new Int32Array(length);
	const outLabels = new Int32Array(length).fill(IGNORE_INDEX);
	const starts: number[] = [];
	let next = 0;
	let at = 0;
	for (let i = 0; i < ids.length; i++) {
		const p = placeholders[next];
		const isMedia = p !== undefined && p.tokenIndex === i;
		const n = isMedia ? tokensFor(p.kind) : 1;
		if (isMedia) {
			starts.push(at);
			next++;
		}
		for (let j = 0; j < n; j++) {
			outIds[at] = ids[i];
			if (labels && !isMedia) outLabels[at] = labels[i];
			at++;
		}
	}
	if (next !== placeholders.length) throw new Error('engine: placeholders out of order or outside the sequence');
	return { inputIds: outIds, labels: outLabels, starts };
}

/** Right-padded batch; features of item m of a sample in row b land on rows b * T + start + j. */
export function collateMultimodal(samples: readonly MultimodalSample[]): MultimodalBatch {
	const b = collateBatch(samples);
	const T = b.seqLength;
	return { batchSize: b.batchSize, seqLength: T, inputIds: b.inputIds, labels: b.nextTokenLabels, trainedTokens: b.trainableTokens, media: mediaGroups(samples, (row) => row * T) };
}

/**
 * The samples back to back in one row, each its own segment, so positions and attention restart at
 * every sample: the same loss and gradients as the padded batch, without the work on padding
 * (a fifth of a demo batch's positions). Features of item m of sample i land on its first position
 * plus start + j.
 */
export function packMultimodal(samples: readonly MultimodalSample[]): MultimodalBatch {
	if (samples.length === 0) throw new RangeError('cannot pack an empty batch');
	const firsts: number[] = [];
	const segments: Segment[] = [];
	let T = 0;
	for (const sample of samples) {
		firsts.push(T);
		segments.push({ row: 0, start: T, length: sample.inputIds.length });
		T += sample.inputIds.length;
	}
	const inputIds = new Int32Array(T);
	const labels = new Int32Array(T);
	samples.forEach((sample, i) => {
		inputIds.set(sample.inputIds, firsts[i]);
		writeNextTokenLabels(sample, labels, firsts[i]);
	});
	const trainedTokens = labels.reduce((n, label) => n + (label === IGNORE_INDEX ? 0 : 1), 0);
	return { batchSize: 1, seqLength: T, inputIds, labels, trainedTokens, media: mediaGroups(samples, (i) => firsts[i]), segments };
}

/** Every media item of the batch grouped by kind, with the flat positions its features replace. */
function mediaGroups(samples: readonly MultimodalSample[], firstPosition: (sample: number) => number): Partial<Record<MediaKind, MediaGroup>> {
	const media: Partial<Record<MediaKind, MediaGroup>> = {};
	for (const kind of ['image', 'audio', 'video'] as const) {
		const items = samples.flatMap((s, index) => s.media.filter((m) => m.kind === kind).map((m) => ({ index, m })));
		if (items.length === 0) continue;
		const per = items[0].m.data.length;
		const n = items[0].m.length;
		const data = new Float32Array(items.length * per);
		const rows = new Int32Array(items.length * n);
		items.forEach(({ index, m }, i) => {
			if (m.data.length !== per || m.length !== n) throw new Error(`engine: ${kind} inputs of different sizes in one batch`);
			data.set(m.data, i * per);
			const first = firstPosition(index) + m.start;
			for (let j = 0; j < n; j++) rows[i * n + j] = first + j;
		});
		media[kind] = { data, count: items.length, rows };
	}
	return media;
}
