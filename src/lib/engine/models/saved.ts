// Saved models: any folder the engine wrote (a run's checkpoint, a merge, an export) or one laid out
// the same way. A full model is config.json + model.safetensors; an adapter is adapter_config.json +
// adapter_model.safetensors over the full (or itself adapter) folder its base_model_name_or_path
// names. describeSavedModel reads only JSON and safetensors headers, so the server can list models
// without building one; loadSavedModel and mergeAdapter build them.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonObject } from '../checkpoint/jsonFile';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, MODEL_CONFIG_FILE, MODEL_WEIGHTS_FILE, readAdapterConfig, type PeftLoraConfig } from '../checkpoint/peft';
import { openSafetensors } from '../checkpoint/safetensors';
import { ARGS_FILE } from '../train/state';
import { mergeAdapters } from '../tuners/merge';
import { adapterBaseDir, attachAdapter, trainedQuantBits, validateAdapterTensors } from './adapterFiles';
import type { LlamaModel } from './llama/model';
import { decoderOf, loadPretrained, saveModel, specsFromHfConfig, type AnyModel, type Architecture } from './modelFiles';
import type { MultimodalModel } from './multimodal/model';
import type { ParamSpec } from './multimodal/paramShapes';

export type Modality = 'text' | 'image' | 'audio' | 'video';

export interface SavedModelInfo {
	architecture: Architecture;
	format: 'full' | 'adapter';
	modalities: Modality[];
	/** Parameters of the model (an adapter's base). */
	parameters: number;
	/** The adapter's tensors (LoRA pairs and fully trained modules) for an adapter; every parameter for a full model. */
	trainableParameters: number;
	/** An adapter's base folder; null for a full model. */
	baseModel: string | null;
	/** 'full' for a run's full checkpoint, 'lora' / 'dora' / 'qlora' for an adapter, null for a plain model folder. */
	tunerType: string | null;
}

const MODALITIES: Record<Architecture, Modality[]> = { llama: ['text'], multimodal: ['text', 'image', 'audio', 'video'] };

async function tensorShapes(path: string, file: string): Promise<Map<string, number[]>> {
	let st;
	try {
		st = await openSafetensors(path);
	} catch (error) {
		throw new Error(`${file}: ${(error as Error).message.replace(`${path}: `, '')}`);
	}
	try {
		return new Map(st.names().map((n) => [n, st.info(n).shape]));
	} finally {
		await st.close();
	}
}

async function readConfig(dir: string, file: string): Promise<Record<string, unknown>> {
	const path = join(dir, file);
	if (!existsSync(path)) throw new Error(`${file}: missing in ${dir}`);
	try {
		return await readJsonObject(path);
	} catch (error) {
		throw new Error(`${file}: ${(error as Error).message.replace(`${path} `, '').replace(`${path}: `, '')}`);
	}
}

interface Described {
	info: SavedModelInfo;
	/** The parameters of the full model underneath (the base of an adapter). */
	specs: ParamSpec[];
}

async function describeFull(dir: string): Promise<Described> {
	const { architecture, specs } = specsFromHfConfig(await readConfig(dir, MODEL_CONFIG_FILE));
	if (!existsSync(join(dir, MODEL_WEIGHTS_FILE))) throw new Error(`${MODEL_WEIGHTS_FILE}: missing in ${dir}`);
	const shapes = await tensorShapes(join(dir, MODEL_WEIGHTS_FILE), MODEL_WEIGHTS_FILE);
	const expected = new Set<string>();
	let parameters = 0;
	for (const { name, shape } of specs) {
		expected.add(name);
		const got = shapes.get(name);
		if (!got) throw new Error(`${MODEL_WEIGHTS_FILE}: missing tensor ${name}`);
		if (got.length !== shape.length || got.some((v, i) => v !== shape[i])) throw new Error(`${MODEL_WEIGHTS_FILE}: tensor ${name} has shape [${got.join(',')}], expected [${shape.join(',')}]`);
		parameters += shape.reduce((a, b) => a * b, 1);
	}
	for (const name of shapes.keys()) if (!expected.has(name)) throw new Error(`${MODEL_WEIGHTS_FILE}: unknown tensor ${name}`);
	const args = existsSync(join(dir, ARGS_FILE)) ? await readJsonObject(join(dir, ARGS_FILE)) : null;
	const tunerType = (args?.tuner as { tuner_type?: unknown } | undefined)?.tuner_type === 'full' ? 'full' : null;
	return { info: { architecture, format: 'full', modalities: MODALITIES[architecture], parameters, trainableParameters: parameters, baseModel: null, tunerType }, specs };
}

async function readAdapter(dir: string): Promise<PeftLoraConfig> {
	await readConfig(dir, ADAPTER_CONFIG_FILE);
	try {
		return await readAdapterConfig(dir);
	} catch (error) {
		throw new Error(`${ADAPTER_CONFIG_FILE}: ${(error as Error).message.replace(`${join(dir, ADAPTER_CONFIG_FILE)}: `, '')}`);
	}
}

async function describeAny(dir: string, depth: number): Promise<Described> {
	if (existsSync(join(dir, MODEL_CONFIG_FILE)) || !existsSync(join(dir, ADAPTER_CONFIG_FILE))) {
		if (!existsSync(join(dir, MODEL_CONFIG_FILE))) throw new Error(`${dir}: holds neither ${MODEL_CONFIG_FILE} nor ${ADAPTER_CONFIG_FILE}`);
		return describeFull(dir);
	}
	if (depth > 8) throw new Error(`${ADAPTER_CONFIG_FILE}: base models nest deeper than 8 adapters`);
	const config = await readAdapter(dir);
	const baseDir = adapterBaseDir(dir, config);
	let base: Described;
	try {
		base = await describeAny(baseDir, depth + 1);
	} catch (error) {
		throw new Error(`base model ${baseDir}: ${(error as Error).message}`);
	}
	if (!existsSync(join(dir, ADAPTER_WEIGHTS_FILE))) throw new Error(`${ADAPTER_WEIGHTS_FILE}: missing in ${dir}`);
	const trainable = validateAdapterTensors(config, base.specs, await tensorShapes(join(dir, ADAPTER_WEIGHTS_FILE), ADAPTER_WEIGHTS_FILE));
	const quant = await trainedQuantBits(dir);
	const tunerType = quant ? 'qlora' : config.use_dora ? 'dora' : 'lora';
	return { info: { ...base.info, format: 'adapter', trainableParameters: trainable, baseModel: baseDir, tunerType }, specs: base.specs };
}

/** Validates a saved model folder completely and says what it is; errors name the file and the tensor or field. */
export async function describeSavedModel(dir: string): Promise<SavedModelInfo> {
	return (await describeAny(dir, 0)).info;
}

/**
 * The model a folder holds, ready for inference: a full model as saved, an adapter on its base
 * (adapters kept separate, on a base quantised as the run's was). A base that is itself an adapter
 * is loaded with its own adapter merged in first.
 */
export async function loadSavedModel(dir: string): Promise<LlamaModel | MultimodalModel> {
	await describeSavedModel(dir);
	return loadValidated(dir);
}

async function loadValidated(dir: string): Promise<AnyModel> {
	if (existsSync(join(dir, MODEL_CONFIG_FILE))) return loadPretrained(dir);
	const config = await readAdapterConfig(dir);
	const model = await loadValidated(adapterBaseDir(dir, config));
	mergeAdapters(decoderOf(model));
	const st = await openSafetensors(join(dir, ADAPTER_WEIGHTS_FILE));
	try {
		const names = st.names();
		const values = new Map(await Promise.all(names.map(async (n) => [n, await st.float32(n)] as const)));
		attachAdapter(decoderOf(model), config, (n) => values.get(n) as Float32Array, names, await trainedQuantBits(dir));
	} catch (error) {
		decoderOf(model).dispose();
		throw error;
	} finally {
		await st.close();
	}
	decoderOf(model).adapterStep = { enabled: true, training: false, seed: 0 };
	return model;
}

/**
 * `swift export --merge_lora true`: the adapter folded into its base (LoRA: W + s B A; DoRA: rescaled
 * rows; a quantised base dequantised first), written as a full model to outDir.
 */
export async function mergeAdapter(adapterDir: string, outDir: string): Promise<SavedModelInfo> {
	const info = await describeSavedModel(adapterDir);
	if (info.format !== 'adapter') throw new Error(`${adapterDir}: holds a full model, not an adapter to merge`);
	const model = await loadValidated(adapterDir);
	try {
		mergeAdapters(decoderOf(model));
		await saveModel(outDir, model);
	} finally {
		decoderOf(model).dispose();
	}
	return describeSavedModel(outDir);
}
