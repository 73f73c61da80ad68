// Training and asking the demo-vlm on an ms-swift JSONL set (the synthetic demo set in practice),
// through the one Trainer: the rows' media decoded once through the caller's loaders, training
// from scratch with checkpoints in outputDir, then greedy answers to held-out questions from the
// same media cache. Media paths resolve against the JSONL file's folder.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ChatRow } from '../../tokenizer/chatTypes';
import type { TrainRow } from '../../train/config';
import { Trainer, type TrainerCallbacks, type TrainResult } from '../../train/trainer';
import { greedyAnswers } from './generate';
import { rowLists, type MediaFeatureCache, type MediaLoaders } from './mediaPipeline';
import type { MultimodalModel } from './model';
import { DEMO_VLM, type MultimodalPreset } from './preset';

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
	/** The media decoders (a device worker and the bench pass the server's sharp / WAV / ffmpeg loaders). */
	loaders: MediaLoaders;
	/** Preset overrides (sizes, epochs, learning rate, ...). */
	preset?: Partial<MultimodalPreset>;
	/** Where checkpoints go; a fresh temporary folder when absent. */
	outputDir?: string;
	/** A checkpoint-<step> folder of outputDir to continue from. */
	resumeFromCheckpoint?: string;
	callbacks?: TrainerCallbacks;
}

export interface TrainedVlm {
	model: MultimodalModel;
	cache: MediaFeatureCache;
	trainer: Trainer;
	result: TrainResult;
	/** Rows kept (rows longer than max_length are skipped). */
	samples: number;
	/** Media decoding and model building, then training. */
	prepareMs: number;
	trainMs: number;
}

export async function trainDemoVlm(options: TrainDemoVlmOptions): Promise<TrainedVlm> {
	const { model: _name, config, tuner, ...args } = { ...DEMO_VLM, ...options.preset };
	const rows = await readJsonlRows(options.trainFile);
	const t0 = performance.now();
	const trainer = await Trainer.create({
		model: { multimodal: config },
		tuner,
		train: rows as TrainRow[],
		args,
		outputDir: options.outputDir ?? (await mkdtemp(join(tmpdir(), 'swiftboard-demo-vlm-'))),
		resumeFromCheckpoint: options.resumeFromCheckpoint,
		media: { loaders: options.loaders, baseDir: dirname(options.trainFile) }
	});
	const t1 = performance.now();
	const result = await trainer.run(options.callbacks);
	const model = trainer.model.model as MultimodalModel;
	return { model, cache: trainer.mediaCache as MediaFeatureCache, trainer, result, samples: trainer.stream.size, prepareMs: t1 - t0, trainMs: performance.now() - t1 };
}

/** Greedy answers to each row's first user turn (the row's answer is not shown to the model). */
export async function answerDemoRows(vlm: { model: MultimodalModel; cache: MediaFeatureCache }, rows: readonly ChatRow[], baseDir: string): Promise<string[]> {
	const prompts = await Promise.all(
		rows.map((row) => {
			const firstUser = row.messages.findIndex((m) => m.role === 'user');
			return vlm.cache.promptSample(row.messages.slice(0, firstUser + 1), rowLists(row), baseDir);
		})
	);
	return greedyAnswers(vlm.model, prompts, { maxNewTokens: 12 });
}
