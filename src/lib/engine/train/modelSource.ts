// Building the model a run starts from: a preset or explicit dims (initialised from the seed), or
// an HF-layout directory (config.json + model.safetensors).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readModelConfig, MODEL_WEIGHTS_FILE } from '../checkpoint/peft';
import { readSafetensors } from '../checkpoint/safetensors';
import { fromHfConfig, resolveLlamaConfig } from '../models/llama/config';
import { LlamaModel } from '../models/llama/model';
import { loadModelWeights } from '../models/llama/weights';
import type { ModelSource } from './config';

export async function loadPretrained(dir: string): Promise<LlamaModel> {
	const model = new LlamaModel(fromHfConfig(await readModelConfig(dir)));
	const file = readSafetensors(new Uint8Array(await readFile(join(dir, MODEL_WEIGHTS_FILE))));
	const names = new Set(file.names());
	loadModelWeights(model, (name) => (names.has(name) ? file.float32(name) : undefined));
	return model;
}

export async function buildModel(source: ModelSource, seed: number): Promise<LlamaModel> {
	if (typeof source === 'object' && 'checkpoint' in source) return loadPretrained(source.checkpoint as string);
	return new LlamaModel(resolveLlamaConfig(source), seed);
}
