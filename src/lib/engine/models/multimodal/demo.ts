// Training and asking the demo-vlm on an ms-swift JSONL set (the synthetic demo set in practice):
// reads the rows, decodes their media once through the cache, trains from scratch, and answers
// held-out questions greedily. Media paths resolve against the JSONL file's folder.

import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ChatRow } from '../../tokenizer/chatTypes';
import { greedyAnswers } from './generate';
import { MediaFeatureCache, rowLists, type MediaLoaders } from './mediaPipeline';
import { MultimodalModel } from './model';
import { DEMO_VLM, type MultimodalPreset } from './preset';
import type { MultimodalSample } from './samples';
import { trainMultimodal, type MultimodalTrainCallbacks, type MultimodalTrainResult } from './train';

export async function readJsonlRows(file: string): Promise<ChatRow[]> {
	const text = await readFile(file, 'utf8');
	return text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as ChatRow);
}

export interface TrainDemoVlmOptions {
	/** The training JSONL; media relative to its folder. */
	trainFile: string;
	/** Preset overrides (sizes, epochs, learning rate, ...). */
	preset?: Partial<MultimodalPreset>;
	/** The media decoders (the worker's sharp / ffmpeg loaders): the engine imports none itself. */
	loaders: MediaLoaders;
	callbacks?: MultimodalTrainCallbacks;
}

export interface TrainedVlm {
	model: MultimodalModel;
	cache: MediaFeatureCache;
	result: MultimodalTrainResult;
	/** Rows kept (rows longer than max_length are skipped). */
	samples: number;
	/** Media decoding and training, without reading the JSONL. */
	prepareMs: number;
	trainMs: number;
}

export async function trainDemoVlm(options: TrainDemoVlmOptions): Promise<TrainedVlm> {
	const preset = { ...DEMO_VLM, ...options.preset };
	const rows = await readJsonlRows(options.trainFile);
	const model = new MultimodalModel(preset.config, preset.seed);
	const cache = new MediaFeatureCache(model.config, options.loaders);
	const t0 = performance.now();
	const base = dirname(options.trainFile);
	const samples: MultimodalSample[] = [];
	// Decode a few files at a time: sharp and ffmpeg work off the main thread.
	for (let i = 0; i < rows.length; i += 8) {
		for (const s of await Promise.all(rows.slice(i, i + 8).map((row) => cache.trainSample(row, base, preset.max_length)))) if (s) samples.push(s);
	}
	const t1 = performance.now();
	const result = await trainMultimodal(model, samples, preset, options.callbacks);
	return { model, cache, result, samples: samples.length, prepareMs: t1 - t0, trainMs: performance.now() - t1 };
}

/** Greedy answers to each row's first user turn (the row's answer is not shown to the model). */
export async function answerDemoRows(vlm: Pick<TrainedVlm, 'model' | 'cache'>, rows: readonly ChatRow[], baseDir: string): Promise<string[]> {
	const prompts = await Promise.all(
		rows.map((row) => {
			const firstUser = row.messages.findIndex((m) => m.role === 'user');
			return vlm.cache.promptSample(row.messages.slice(0, firstUser + 1), rowLists(row), baseDir);
		})
	);
	return greedyAnswers(vlm.model, prompts, { maxNewTokens: 12 });
}
