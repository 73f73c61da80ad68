// Checkpoints in ms-swift's layout: `<outputDir>/checkpoint-<step>/` holding
//   full fine-tuning: config.json + model.safetensors (HF)
//   LoRA/DoRA/QLoRA:  adapter_config.json + adapter_model.safetensors (PEFT); the base it adapts is
//                     named by base_model_name_or_path
// plus args.json, trainer_state.json and optimizer.safetensors so a run resumes exactly.
// save_total_limit keeps the newest N checkpoints.

import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonFile, readJsonObject } from '../checkpoint/jsonFile';
import {
	ADAPTER_WEIGHTS_FILE, MODEL_WEIGHTS_FILE, createLoraConfig, writeAdapterConfig
} from '../checkpoint/peft';
import { readSafetensors, writeSafetensors, type TensorToSave } from '../checkpoint/safetensors';
import { saveModel, type AnyModel } from '../models/modelFiles';
import type { TunedModel } from '../tuners/apply';
import type { ResumableAdamW } from './optimizer';
import { ARGS_FILE, OPTIMIZER_FILE, TRAINER_STATE_FILE, type TrainerState } from './state';

const f32 = (name: string, shape: readonly number[], data: Float32Array): TensorToSave => ({ name, dtype: 'F32', shape: [...shape], data });

/** PEFT adapter files for the adapted projections. */
export async function saveAdapter(dir: string, tuned: TunedModel, baseModel: string | null): Promise<void> {
	const c = tuned.config;
	const targets = c.target_modules === 'all-linear' ? 'all-linear' : c.target_modules;
	// Only PEFT's own fields: how the base was quantised lives in args.json (tuner.quant_bits).
	await writeAdapterConfig(dir, createLoraConfig({ r: c.lora_rank, loraAlpha: c.lora_alpha, loraDropout: c.lora_dropout, targetModules: targets, baseModel, useDora: c.use_dora, useRslora: c.use_rslora, modulesToSave: tuned.modulesToSave.length ? tuned.modulesToSave : null }));
	await writeSafetensors(join(dir, ADAPTER_WEIGHTS_FILE), tuned.trainable.map(([n, t]) => f32(n, t.shape, t.toArray())), { format: 'pt' });
}

export interface CheckpointContent {
	/** The whole model (a multimodal model's towers with its decoder). */
	model: AnyModel;
	tuned: TunedModel;
	optimizer: ResumableAdamW;
	state: TrainerState;
	args: Record<string, unknown>;
	/** Where the frozen base lives (LoRA runs). */
	baseModelPath: string | null;
}

export function checkpointDir(outputDir: string, step: number): string {
	return join(outputDir, `checkpoint-${step}`);
}

export async function saveCheckpoint(outputDir: string, c: CheckpointContent): Promise<string> {
	const dir = checkpointDir(outputDir, c.state.global_step);
	await mkdir(dir, { recursive: true });
	if (c.tuned.config.tuner_type === 'full') await saveModel(dir, c.model);
	else await saveAdapter(dir, c.tuned, c.baseModelPath);
	await writeJsonFile(join(dir, ARGS_FILE), c.args);
	await writeSafetensors(join(dir, OPTIMIZER_FILE), c.optimizer.stateTensors().map((t) => f32(t.name, t.shape, t.data)), { step: String(c.optimizer.t) });
	await writeJsonFile(join(dir, TRAINER_STATE_FILE), { ...c.state, last_model_checkpoint: dir });
	return dir;
}

/** Deletes the oldest checkpoint-<step> directories beyond `limit` (0 keeps all). */
export async function rotateCheckpoints(outputDir: string, limit: number): Promise<string[]> {
	if (!limit || limit < 1) return [];
	const steps = (await readdir(outputDir)).map((n) => /^checkpoint-(\d+)$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
	const doomed = steps.slice(0, Math.max(0, steps.length - limit)).map((s) => checkpointDir(outputDir, s));
	for (const d of doomed) await rm(d, { recursive: true, force: true });
	return doomed;
}

/** Reads a safetensors file whole, as a name -> float32 lookup. */
export async function readTensors(path: string): Promise<(name: string) => Float32Array | undefined> {
	const file = readSafetensors(new Uint8Array(await readFile(path)));
	const names = new Set(file.names());
	return (name) => (names.has(name) ? file.float32(name) : undefined);
}

/** Restores trainable weights, optimizer moments and returns the trainer state of a checkpoint. */
export async function loadCheckpoint(dir: string, tuned: TunedModel, optimizer: ResumableAdamW | null): Promise<TrainerState> {
	const weights = await readTensors(join(dir, tuned.config.tuner_type === 'full' ? MODEL_WEIGHTS_FILE : ADAPTER_WEIGHTS_FILE));
	for (const [name, t] of tuned.trainable) {
		const v = weights(name);
		if (!v || v.length !== t.size) throw new Error(`${dir}: checkpoint has no matching tensor ${name}`);
		t.set(v);
	}
	const state = (await readJsonObject(join(dir, TRAINER_STATE_FILE))) as unknown as TrainerState;
	if (optimizer) optimizer.loadState(state.optimizer_step, await readTensors(join(dir, OPTIMIZER_FILE)));
	return state;
}
