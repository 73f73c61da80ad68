// A whole model on disk in HF layout: config.json + model.safetensors, for the text decoder
// (LlamaForCausalLM) and the multimodal model (SwiftBoardVLM). One place knows how either kind
// writes and reads its weights; checkpoints, merges and exports all go through it.

import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonObject, writeJsonFile } from '../checkpoint/jsonFile';
import { MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE } from '../checkpoint/peft';
import { readSafetensors, writeSafetensors } from '../checkpoint/safetensors';
import { toHfConfig } from './llama/config';
import { LlamaModel } from './llama/model';
import { dequantize } from './llama/weights';
import { decoderFromHf, fromVlmHfConfig, toVlmHfConfig, VLM_ARCHITECTURE, VLM_MODEL_TYPE } from './multimodal/hfConfig';
import { MultimodalModel } from './multimodal/model';
import { llamaParamSpecs, multimodalParamSpecs, type ParamSpec } from './multimodal/paramShapes';

export type AnyModel = LlamaModel | MultimodalModel;
export type Architecture = 'llama' | 'multimodal';

/** The decoder whose tables (params, tags, projections) hold every parameter of the model. */
export function decoderOf(model: AnyModel): LlamaModel {
	return model instanceof MultimodalModel ? model.llm : model;
}

export function paramSpecsOf(model: AnyModel): ParamSpec[] {
	return model instanceof MultimodalModel ? multimodalParamSpecs(model.config) : llamaParamSpecs(model.config);
}

export function hfConfigOf(model: AnyModel): Record<string, unknown> {
	return model instanceof MultimodalModel ? toVlmHfConfig(model.config) : toHfConfig(model.config);
}

/** Which architecture a config.json describes; errors name the file and the value. */
export function architectureOf(hf: Record<string, unknown>, source = MODEL_CONFIG_FILE): Architecture {
	const arch = Array.isArray(hf.architectures) ? hf.architectures[0] : undefined;
	const name = arch ?? hf.model_type;
	if (name === undefined) throw new Error(`${source}: missing field architectures`);
	if (name === 'LlamaForCausalLM' || (arch === undefined && name === 'llama')) return 'llama';
	if (name === VLM_ARCHITECTURE || (arch === undefined && name === VLM_MODEL_TYPE)) return 'multimodal';
	throw new Error(`${source}: unknown architecture ${JSON.stringify(name)}`);
}

/** A model of the config's architecture, initialised from seed (weights are then loaded over it). */
export function modelFromHfConfig(hf: Record<string, unknown>, source = MODEL_CONFIG_FILE, seed = 42): AnyModel {
	if (architectureOf(hf, source) === 'multimodal') return new MultimodalModel(fromVlmHfConfig(hf, source), seed);
	return new LlamaModel(decoderFromHf(hf, source), seed);
}

export function specsFromHfConfig(hf: Record<string, unknown>, source = MODEL_CONFIG_FILE): { architecture: Architecture; specs: ParamSpec[] } {
	const architecture = architectureOf(hf, source);
	const specs = architecture === 'multimodal' ? multimodalParamSpecs(fromVlmHfConfig(hf, source)) : llamaParamSpecs(decoderFromHf(hf, source));
	return { architecture, specs };
}

/** Every weight (HF names, checkpoint order), quantised bases dequantised, adapters not applied. */
export function modelWeights(model: AnyModel): [string, number[], Float32Array][] {
	const llm = decoderOf(model);
	return paramSpecsOf(model).map(({ name, shape }) => {
		const t = llm.params.get(name);
		if (t) return [name, shape, t.toArray()];
		const p = llm.projection(name);
		if (p?.quantized) return [name, shape, dequantize(p.quantized)];
		throw new Error(`engine: no tensor for ${name}`);
	});
}

/** Copies values into the model's fp32 tensors; every name must exist with the right size. */
export function loadModelWeights(model: AnyModel, get: (name: string) => Float32Array | undefined, source = MODEL_WEIGHTS_FILE): void {
	const llm = decoderOf(model);
	for (const { name, shape } of paramSpecsOf(model)) {
		const values = get(name);
		if (!values) throw new Error(`${source}: missing tensor ${name}`);
		const t = llm.params.get(name);
		if (!t) throw new Error(`engine: ${name} is not an fp32 tensor of this model (quantise after loading)`);
		if (values.length !== t.size) throw new Error(`${source}: tensor ${name} has ${values.length} values, expected shape [${shape}]`);
		t.set(values);
	}
}

/** HF config.json + model.safetensors of the whole model (quantised bases dequantised). */
export async function saveModel(dir: string, model: AnyModel): Promise<void> {
	await mkdir(dir, { recursive: true });
	await writeJsonFile(join(dir, MODEL_CONFIG_FILE), hfConfigOf(model));
	await writeSafetensors(join(dir, MODEL_WEIGHTS_FILE), modelWeights(model).map(([name, shape, data]) => ({ name, dtype: 'F32', shape, data })), { format: 'pt' });
}

/** A full model folder (config.json + model.safetensors) of either architecture. */
export async function loadPretrained(dir: string): Promise<AnyModel> {
	const model = modelFromHfConfig(await readJsonObject(join(dir, MODEL_CONFIG_FILE)));
	const file = readSafetensors(new Uint8Array(await readFile(join(dir, MODEL_WEIGHTS_FILE))));
	const names = new Set(file.names());
	try {
		loadModelWeights(model, (name) => (names.has(name) ? file.float32(name) : undefined));
	} catch (error) {
		decoderOf(model).dispose();
		throw error;
	}
	return model;
}
