// Multimodal rows to what the loop reads: each row's media decoded once (MediaFeatureCache, a group
// of rows at a time since sharp and ffmpeg work off the main thread), placeholders expanded to their
// feature positions, and every micro-batch packed into one row of segments (packMultimodal), which
// skips the padding work. Rows longer than max_length are left out whole (cutting through a media
// item would leave it half seen), as ms-swift's truncation_strategy 'delete' does.

import { MediaFeatureCache, type MediaLoaders } from '../models/multimodal/mediaPipeline';
import type { MultimodalModel } from '../models/multimodal/model';
import { packMultimodal, type MultimodalSample } from '../models/multimodal/samples';
import type { MicroBatch } from './batches';
import type { ResolvedArguments, TrainRow } from './config';
import type { PreparedData } from './datasets';

/** How a run reads its rows' media: decoders handed in by the caller, paths relative to baseDir. */
export interface MediaOptions {
	loaders: MediaLoaders;
	baseDir: string;
}

const NO_LOADERS: MediaLoaders = {
	image: () => Promise.reject(new Error('the run was given no media loaders (TrainerOptions.media), so it cannot read images')),
	audio: () => Promise.reject(new Error('the run was given no media loaders (TrainerOptions.media), so it cannot read audio')),
	video: () => Promise.reject(new Error('the run was given no media loaders (TrainerOptions.media), so it cannot read videos'))
};

export function multimodalBatch(samples: readonly MultimodalSample[]): MicroBatch {
	const b = packMultimodal(samples);
	return { batchSize: b.batchSize, seqLength: b.seqLength, inputIds: b.inputIds, labels: b.labels, segments: [...(b.segments ?? [])], media: b.media, tokens: b.seqLength, trainedTokens: b.trainedTokens };
}

/**
 * Rows whose media are asked for together: enough that a group's video clips share ffmpeg runs
 * (the server's loaders decode the clips asked for at once in one run), few enough to bound the
 * decoded frames held at once. 64 takes the demo set's media from 15 s to 7-9 s against 8.
 */
const ROWS_DECODED_TOGETHER = 64;

async function decodeRows(cache: MediaFeatureCache, rows: readonly TrainRow[], baseDir: string, maxLength: number): Promise<MultimodalSample[]> {
	const out: MultimodalSample[] = [];
	for (let i = 0; i < rows.length; i += ROWS_DECODED_TOGETHER) {
		for (const s of await Promise.all(rows.slice(i, i + ROWS_DECODED_TOGETHER).map((row) => cache.trainSample(row, baseDir, maxLength)))) if (s) out.push(s);
	}
	return out;
}

export interface MultimodalData extends PreparedData {
	cache: MediaFeatureCache;
	/** Training rows kept (within max_length). */
	kept: number;
}

export async function prepareMultimodalData(model: MultimodalModel, train: readonly TrainRow[], val: readonly TrainRow[], a: ResolvedArguments, media: MediaOptions | undefined): Promise<MultimodalData> {
	const cache = new MediaFeatureCache(model.config, media?.loaders ?? NO_LOADERS);
	const baseDir = media?.baseDir ?? process.cwd();
	const samples = await decodeRows(cache, train, baseDir, a.max_length);
	const valSamples = await decodeRows(cache, val, baseDir, a.max_length);
	const eb = a.per_device_eval_batch_size;
	const valBatches: MicroBatch[] = [];
	for (let i = 0; i < valSamples.length; i += eb) valBatches.push(multimodalBatch(valSamples.slice(i, i + eb)));
	return { size: samples.length, batch: (ix) => multimodalBatch(ix.map((i) => samples[i])), valBatches, cache, kept: samples.length };
}
