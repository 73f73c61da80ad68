// Loading a checkpoint for inference: a full model directory (config.json + model.safetensors), or
// a LoRA adapter directory whose adapter_config.json names its base. Adapters trained on a quantised
// base (args.json: tuner.quant_bits) are put back on a base quantised the same way, so logits match
// the training-time model.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, MODEL_WEIGHTS_FILE, readAdapterConfig } from '../checkpoint/peft';
import { beginStep, noGrad } from '../autograd/tape';
import { generate, type GenerateOptions } from '../generate/generate';
import type { LlamaModel } from '../models/llama/model';
import { applyTuner } from '../tuners/apply';
import { readJsonObject } from '../checkpoint/jsonFile';
import { readTensors } from './checkpointing';
import { ARGS_FILE } from './state';
import { loadPretrained } from './modelSource';

export interface InferenceModel {
	model: LlamaModel;
	/** Logits (T * V) of one sequence of ids. */
	forwardLogits(ids: readonly number[]): Float32Array;
	/** New token ids after the prompt (KV-cached decoding). */
	generate(promptIds: readonly number[], options?: GenerateOptions): number[];
	/** Frees the model's engine memory. */
	dispose(): void;
}

export function inferenceModel(model: LlamaModel): InferenceModel {
	model.adapterStep = { enabled: true, training: false, seed: 0 };
	return {
		model,
		forwardLogits: (ids) => noGrad(() => {
			beginStep();
			return model.forward({ inputIds: Int32Array.from(ids), batchSize: 1, seqLength: ids.length }).toArray();
		}),
		generate: (promptIds, options) => generate(model, promptIds, options),
		dispose: () => model.dispose()
	};
}

/** quant_bits of the run that wrote this checkpoint (its args.json), if it trained on a quantised base. */
async function trainedQuantBits(dir: string): Promise<4 | 8 | undefined> {
	if (!existsSync(join(dir, ARGS_FILE))) return undefined;
	const args = await readJsonObject(join(dir, ARGS_FILE));
	const bits = (args.tuner as { quant_bits?: unknown } | undefined)?.quant_bits;
	return bits === 4 || bits === 8 ? bits : undefined;
}

export async function loadModelForInference(dir: string): Promise<InferenceModel> {
	if (existsSync(join(dir, MODEL_WEIGHTS_FILE))) return inferenceModel(await loadPretrained(dir));
	if (!existsSync(join(dir, ADAPTER_CONFIG_FILE))) throw new Error(`${dir} holds neither ${MODEL_WEIGHTS_FILE} nor ${ADAPTER_CONFIG_FILE}`);
	const config = await readAdapterConfig(dir);
	if (!config.base_model_name_or_path) throw new Error(`${dir}: adapter_config.json names no base model`);
	const model = await loadPretrained(config.base_model_name_or_path);
	const quant = await trainedQuantBits(dir);
	const tuned = applyTuner(model, {
		tuner_type: 'lora', lora_rank: config.r, lora_alpha: config.lora_alpha, lora_dropout: config.lora_dropout,
		target_modules: config.target_modules as string[] | 'all-linear', use_dora: config.use_dora, use_rslora: config.use_rslora, quant_bits: quant
	});
	const weights = await readTensors(join(dir, ADAPTER_WEIGHTS_FILE));
	for (const [name, t] of tuned.trainable) {
		const v = weights(name);
		if (!v) throw new Error(`${dir}: adapter has no tensor ${name}`);
		t.set(v);
	}
	return inferenceModel(model);
}
