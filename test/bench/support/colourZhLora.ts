// The LoRA figures of the demo section: on a trained demo-vlm, a LoRA run through the console's
// runner learns to answer the picture colour questions in Chinese (the colour-zh set), mixed with
// original rows replayed so the plain questions keep their English answers; then held-out accuracy
// on the Chinese-colour questions and on every original question type, read back from the run's
// saved adapter checkpoint.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { answerDemoRows, readJsonlRows } from '../../../src/lib/engine/models/multimodal/demo';
import { MediaFeatureCache } from '../../../src/lib/engine/models/multimodal/mediaPipeline';
import { MultimodalModel } from '../../../src/lib/engine/models/multimodal/model';
import { describeSavedModel, loadSavedModel } from '../../../src/lib/engine/models/saved';
import type { ChatRow } from '../../../src/lib/engine/tokenizer/chatTypes';
import type { RunConfigInput } from '../../../src/lib/shared/run/runConfig';
import { createRng } from '../../../src/lib/server/demo/rng';
import { demoQuestionTypeOf, generateColourZhDataset } from '../../../src/lib/server/demo/index';
import { readRunRows } from '../../../workers/jobs/datasetRows';
import { accuracyByQuestionType } from '../../../workers/jobs/demoAccuracy';
import { mediaLoaders } from '../../../workers/jobs/mediaLoaders';
import { runTrainJob } from './trainJob';

export interface ColourZhLoraOptions {
	/** The demo set's folder (train.jsonl, val.jsonl, media/). */
	demoDir: string;
	/** The trained demo-vlm: a saved full model folder. */
	baseModel: string;
	workDir: string;
	/** Original training rows mixed in (drawn with a fixed seed). */
	replay: number;
	/**
	 * More original rows of the named question types, each type drawn on its own (a row may come
	 * twice): the types the adapter unlearns first when the random draw holds too few of them.
	 */
	replayByType?: Record<string, number>;
	/** Copies of the Chinese rows in the mix (1 by default): more passes over them per pass over the replayed rows. */
	zhCopies?: number;
	config: Partial<RunConfigInput>;
}

export interface ColourZhLoraResult {
	zhAccuracy: number;
	/** Held-out accuracy per original question type, after the LoRA. */
	accuracy: Record<string, number>;
	trainS: number;
	steps: number;
	checkpoint: string;
	adapterFormat: string;
}

const userText = (row: ChatRow) => row.messages.find((m) => m.role === 'user')?.content ?? '';
const jsonl = (rows: readonly ChatRow[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export async function colourZhLora(o: ColourZhLoraOptions): Promise<ColourZhLoraResult> {
	const zhDir = join(o.workDir, 'colour-zh');
	await generateColourZhDataset({ outDir: zhDir });
	const zhTrain = await readRunRows(join(zhDir, 'train.jsonl'));
	const original = await readRunRows(join(o.demoDir, 'train.jsonl'));
	const replay = createRng(5).sample(original, o.replay);
	for (const [type, count] of Object.entries(o.replayByType ?? {})) {
		replay.push(...createRng(5).sample(original.filter((row) => demoQuestionTypeOf(userText(row)) === type), count));
	}
	const zh = Array.from({ length: o.zhCopies ?? 1 }, () => zhTrain).flat();
	const mixed = createRng(6).sample([...zh, ...replay], zh.length + replay.length);
	await writeFile(join(o.workDir, 'lora-train.jsonl'), jsonl(mixed));
	const run = await runTrainJob({
		runDir: join(o.workDir, 'lora-run'),
		datasetPath: join(o.workDir, 'lora-train.jsonl'),
		valDatasetPath: join(zhDir, 'val.jsonl'),
		modelDir: o.baseModel,
		config: { model: 'demo-vlm', tuner_type: 'lora', freeze_vit: true, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], max_length: 160, logging_steps: 5, eval_steps: 100_000, save_steps: 100_000, ...o.config }
	});
	const checkpoint = run.checkpoints.at(-1);
	if (run.status !== 'succeeded' || !checkpoint) throw new Error(`the colour-zh LoRA run ${run.status} without a checkpoint`);
	const last = run.metrics.at(-1) ?? { step: 0 };
	const zhAccuracy = (last as Record<string, number>)['eval_acc/image_colour_zh'];
	// The original questions, asked of the run's saved adapter (loaded on its base).
	const adapterFormat = (await describeSavedModel(checkpoint)).format;
	const tuned = await loadSavedModel(checkpoint);
	if (!(tuned instanceof MultimodalModel)) throw new Error(`${checkpoint} is not a multimodal model`);
	const val = await readJsonlRows(join(o.demoDir, 'val.jsonl'));
	const answers = await answerDemoRows({ model: tuned, cache: new MediaFeatureCache(tuned.config, mediaLoaders) }, val, o.demoDir);
	tuned.llm.dispose();
	return { zhAccuracy, accuracy: accuracyByQuestionType(val, answers), trainS: run.trainMs / 1000, steps: Math.max(...run.losses.keys()), checkpoint, adapterFormat };
}
