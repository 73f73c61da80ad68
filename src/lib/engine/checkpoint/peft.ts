import { join } from 'node:path';
import { readJsonObject, writeJsonFile } from './jsonFile';

/**
 * The two JSON files that make a checkpoint loadable by transformers and PEFT: the model's
 * `config.json` and a LoRA adapter's `adapter_config.json`, with the weight names those libraries use.
 */

export const MODEL_CONFIG_FILE = 'config.json';
export const MODEL_WEIGHTS_FILE = 'model.safetensors';
export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';

/** The fields of an HF decoder `config.json` the engine reads; any other field is kept as is. */
export interface HfModelConfig {
	architectures?: string[];
	model_type: string;
	vocab_size: number;
	hidden_size: number;
	intermediate_size?: number;
	num_hidden_layers: number;
	num_attention_heads: number;
	num_key_value_heads?: number;
	max_position_embeddings?: number;
	rms_norm_eps?: number;
	rope_theta?: number;
	hidden_act?: string;
	tie_word_embeddings?: boolean;
	torch_dtype?: string;
	bos_token_id?: number;
	eos_token_id?: number | number[];
	pad_token_id?: number;
	[field: string]: unknown;
}

/** A PEFT LoRA `adapter_config.json` (DoRA and rsLoRA are flags on the same type). */
export interface PeftLoraConfig {
	peft_type: 'LORA';
	task_type: string;
	r: number;
	lora_alpha: number;
	lora_dropout: number;
	/** Module name suffixes such as ["q_proj", "v_proj"], or "all-linear". */
	target_modules: string[] | string;
	bias: 'none' | 'all' | 'lora_only';
	base_model_name_or_path: string | null;
	use_dora: boolean;
	use_rslora: boolean;
	modules_to_save: string[] | null;
	fan_in_fan_out: boolean;
	inference_mode: boolean;
	init_lora_weights: boolean | string;
	[field: string]: unknown;
}

export interface LoraOptions {
	r: number;
	loraAlpha: number;
	loraDropout?: number;
	targetModules: string[] | string;
	baseModel?: string | null;
	useDora?: boolean;
	useRslora?: boolean;
	modulesToSave?: string[] | null;
}

/** An adapter config with PEFT's defaults; the ms-swift CLI defaults are r=8, alpha=32, dropout=0.05. */
export function createLoraConfig(options: LoraOptions): PeftLoraConfig {
	return {
		peft_type: 'LORA',
		task_type: 'CAUSAL_LM',
		r: options.r,
		lora_alpha: options.loraAlpha,
		lora_dropout: options.loraDropout ?? 0.05,
		target_modules: options.targetModules,
		bias: 'none',
		base_model_name_or_path: options.baseModel ?? null,
		use_dora: options.useDora ?? false,
		use_rslora: options.useRslora ?? false,
		modules_to_save: options.modulesToSave ?? null,
		fan_in_fan_out: false,
		inference_mode: true,
		init_lora_weights: true
	};
}

/** The factor on B·A: alpha / r, or alpha / sqrt(r) with rsLoRA (PEFT's definition). */
export function loraScaling(config: Pick<PeftLoraConfig, 'r' | 'lora_alpha' | 'use_rslora'>): number {
	return config.use_rslora ? config.lora_alpha / Math.sqrt(config.r) : config.lora_alpha / config.r;
}

function requirePositiveInteger(source: string, object: Record<string, unknown>, field: string): void {
	const value = object[field];
	if (!Number.isInteger(value) || (value as number) <= 0) {
		throw new Error(`${source}: "${field}" must be a positive integer, got ${JSON.stringify(value)}`);
	}
}

export function writeModelConfig(dir: string, config: HfModelConfig): Promise<void> {
	return writeJsonFile(join(dir, MODEL_CONFIG_FILE), config);
}

export async function readModelConfig(dir: string): Promise<HfModelConfig> {
	const path = join(dir, MODEL_CONFIG_FILE);
	const config = await readJsonObject(path);
	if (typeof config.model_type !== 'string') throw new Error(`${path}: "model_type" must be a string`);
	for (const field of ['vocab_size', 'hidden_size', 'num_hidden_layers', 'num_attention_heads']) {
		requirePositiveInteger(path, config, field);
	}
	return config as HfModelConfig;
}

export function writeAdapterConfig(dir: string, config: PeftLoraConfig): Promise<void> {
	return writeJsonFile(join(dir, ADAPTER_CONFIG_FILE), config);
}

export async function readAdapterConfig(dir: string): Promise<PeftLoraConfig> {
	const path = join(dir, ADAPTER_CONFIG_FILE);
	const config = await readJsonObject(path);
	if (config.peft_type !== 'LORA') {
		throw new Error(`${path}: only LoRA adapters are supported, got peft_type ${JSON.stringify(config.peft_type)}`);
	}
	requirePositiveInteger(path, config, 'r');
	if (typeof config.lora_alpha !== 'number') throw new Error(`${path}: "lora_alpha" must be a number`);
	// Older PEFT versions omit these flags; absent means off.
	return { use_dora: false, use_rslora: false, ...config } as PeftLoraConfig;
}

/** PEFT prefixes every weight of the wrapped model with this when it saves an adapter. */
const PEFT_PREFIX = 'base_model.model.';
const LORA_WEIGHT_PATTERN = /^base_model\.model\.(.+)\.lora_(A|B)\.weight$/;

export type LoraPart = 'A' | 'B';

/**
 * `model.layers.0.self_attn.q_proj.weight` + 'A' ->
 * `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`.
 */
export function loraWeightName(baseWeightName: string, part: LoraPart): string {
	if (!baseWeightName.endsWith('.weight')) {
		throw new Error(`"${baseWeightName}" is not a weight name (it must end in ".weight")`);
	}
	return `${PEFT_PREFIX}${baseWeightName.slice(0, -'.weight'.length)}.lora_${part}.weight`;
}

/** The inverse of loraWeightName; undefined for names that are not LoRA A/B weights. */
export function parseLoraWeightName(name: string): { baseWeightName: string; part: LoraPart } | undefined {
	const match = LORA_WEIGHT_PATTERN.exec(name);
	if (!match) return undefined;
	return { baseWeightName: `${match[1]}.weight`, part: match[2] as LoraPart };
}
