// What a training run is given: the model, the tuner, the loss, the data and the hyper-parameters,
// named as ms-swift's CLI names them, with its defaults.

import type { LlamaConfig, LlamaPreset } from '../models/llama/config';
import type { MultimodalConfigInput } from '../models/multimodal/config';
import type { ChatMessage, ChatRow } from '../tokenizer/chatTypes';
import type { LrSchedulerType } from '../data/schedule';
import type { PreferenceConfig } from '../losses/preference';
import type { TunerConfig } from '../tuners/config';

/** A standard ms-swift row; preference rows add rejected_response (or rejected_messages). */
export interface TrainRow extends ChatRow {
	rejected_response?: string;
	rejected_messages?: ChatMessage[];
	[field: string]: unknown;
}

/**
 * A preset ('nano', 'micro': text; 'demo-vlm': multimodal), explicit dims (random init from the
 * seed: decoder dims, or { multimodal: ... } for towers and decoder), or any saved model folder
 * (full, merged or adapter; see models/saved.ts).
 */
export type ModelSource = LlamaPreset | 'demo-vlm' | Partial<LlamaConfig> | { multimodal: MultimodalConfigInput } | { checkpoint: string };

export type LossConfig = { rlhf_type?: undefined } | PreferenceConfig;

export interface TrainingArguments {
	num_train_epochs?: number;
	/** > 0 overrides num_train_epochs. */
	max_steps?: number;
	per_device_train_batch_size?: number;
	per_device_eval_batch_size?: number;
	gradient_accumulation_steps?: number;
	max_length?: number;
	/**
	 * Rows longer than max_length: 'right' (default here) cuts the end off, 'delete' drops the row
	 * (ms-swift's default). Cutting keeps every row's prompt and the start of its answer in training.
	 */
	truncation_strategy?: 'right' | 'delete';
	packing?: boolean;
	lr_scheduler_type?: LrSchedulerType;
	warmup_ratio?: number;
	learning_rate?: number;
	/** ms-swift's --vit_lr / --aligner_lr: peak rates of the vision/audio towers and of the aligners (default learning_rate), same schedule. */
	vit_lr?: number;
	aligner_lr?: number;
	weight_decay?: number;
	max_grad_norm?: number;
	adam_beta1?: number;
	adam_beta2?: number;
	adam_epsilon?: number;
	/** Evaluate every N optimizer steps (and at the end) when a validation set is given; 0 = only at the end. */
	eval_steps?: number;
	save_steps?: number;
	/** Keep only the newest N checkpoints; 0 / undefined keeps all. */
	save_total_limit?: number;
	logging_steps?: number;
	seed?: number;
}

export type ResolvedArguments = Required<Omit<TrainingArguments, 'vit_lr' | 'aligner_lr'>> & Pick<TrainingArguments, 'vit_lr' | 'aligner_lr'>;

export function resolveArguments(a: TrainingArguments, tunerType: TunerConfig['tuner_type']): ResolvedArguments {
	const r: ResolvedArguments = {
		num_train_epochs: a.num_train_epochs ?? 1,
		max_steps: a.max_steps ?? -1,
		per_device_train_batch_size: a.per_device_train_batch_size ?? 1,
		per_device_eval_batch_size: a.per_device_eval_batch_size ?? a.per_device_train_batch_size ?? 1,
		gradient_accumulation_steps: a.gradient_accumulation_steps ?? 1,
		max_length: a.max_length ?? 512,
		truncation_strategy: a.truncation_strategy ?? 'right',
		packing: a.packing ?? false,
		lr_scheduler_type: a.lr_scheduler_type ?? 'cosine',
		warmup_ratio: a.warmup_ratio ?? 0,
		// ms-swift: 1e-4 for LoRA, 1e-5 for full.
		learning_rate: a.learning_rate ?? (tunerType === 'full' ? 1e-5 : 1e-4),
		vit_lr: a.vit_lr,
		aligner_lr: a.aligner_lr,
		weight_decay: a.weight_decay ?? 0.1,
		max_grad_norm: a.max_grad_norm ?? 1,
		adam_beta1: a.adam_beta1 ?? 0.9,
		adam_beta2: a.adam_beta2 ?? 0.95,
		adam_epsilon: a.adam_epsilon ?? 1e-8,
		eval_steps: a.eval_steps ?? a.save_steps ?? 500,
		save_steps: a.save_steps ?? 500,
		save_total_limit: a.save_total_limit ?? 0,
		logging_steps: a.logging_steps ?? 5,
		seed: a.seed ?? 42
	};
	for (const k of ['per_device_train_batch_size', 'per_device_eval_batch_size', 'gradient_accumulation_steps', 'max_length', 'logging_steps', 'save_steps'] as const) {
		if (!Number.isInteger(r[k]) || r[k] < 1) throw new Error(`${k} must be a positive integer, got ${r[k]}`);
	}
	if (r.truncation_strategy !== 'right' && r.truncation_strategy !== 'delete') throw new Error(`truncation_strategy must be right or delete, got ${String(r.truncation_strategy)}`);
	if (r.max_steps <= 0 && !(r.num_train_epochs > 0)) throw new Error('set num_train_epochs > 0 or max_steps > 0');
	return r;
}
