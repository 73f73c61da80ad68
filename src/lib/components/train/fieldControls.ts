import type { RunConfig } from '$lib/shared/run/runConfig';
import { deepspeedConfigs, lrSchedulerTypes, rlhfTypes } from '$lib/shared/run/runConfig';
import type { MessageKey } from '$lib/shared/i18n';
import { moduleNames, runFields, savableModules, type DocumentedField, type FieldGroup } from '$lib/shared/run/runFields';

/** How each plain field is edited on the Train page. Model, dataset, tuner, engine and device have their own controls. */
export type FieldControl =
	| { key: DocumentedField; kind: 'number'; step?: number; min?: number }
	| { key: DocumentedField; kind: 'boolean' }
	| { key: DocumentedField; kind: 'text' }
	/** `nullable`: an empty first choice stands for null (unset). */
	| { key: DocumentedField; kind: 'select'; options: readonly string[]; nullable?: boolean }
	/** Several of `options` ticked at once; `all` is a value standing for every one. */
	| { key: DocumentedField; kind: 'choices'; options: readonly string[]; all?: string };

export const fieldControls: FieldControl[] = [
	{ key: 'split_dataset_ratio', kind: 'number', step: 0.01, min: 0 },
	{ key: 'max_length', kind: 'number', step: 1, min: 8 },
	{ key: 'packing', kind: 'boolean' },
	{ key: 'rlhf_type', kind: 'select', options: rlhfTypes },
	{ key: 'beta', kind: 'number', step: 0.01 },
	{ key: 'lora_rank', kind: 'number', step: 1, min: 1 },
	{ key: 'lora_alpha', kind: 'number', step: 1, min: 1 },
	{ key: 'lora_dropout', kind: 'number', step: 0.01, min: 0 },
	{ key: 'target_modules', kind: 'choices', options: moduleNames, all: 'all-linear' },
	{ key: 'modules_to_save', kind: 'choices', options: savableModules },
	{ key: 'use_rslora', kind: 'boolean' },
	{ key: 'freeze_llm', kind: 'boolean' },
	{ key: 'freeze_vit', kind: 'boolean' },
	{ key: 'freeze_aligner', kind: 'boolean' },
	{ key: 'num_train_epochs', kind: 'number', step: 1, min: 0 },
	{ key: 'max_steps', kind: 'number', step: 1, min: -1 },
	{ key: 'per_device_train_batch_size', kind: 'number', step: 1, min: 1 },
	{ key: 'gradient_accumulation_steps', kind: 'number', step: 1, min: 1 },
	{ key: 'learning_rate', kind: 'number', step: 0.00001, min: 0 },
	{ key: 'lr_scheduler_type', kind: 'select', options: lrSchedulerTypes },
	{ key: 'warmup_ratio', kind: 'number', step: 0.01, min: 0 },
	{ key: 'weight_decay', kind: 'number', step: 0.01, min: 0 },
	{ key: 'max_grad_norm', kind: 'number', step: 0.1, min: 0 },
	{ key: 'seed', kind: 'number', step: 1, min: 0 },
	{ key: 'logging_steps', kind: 'number', step: 1, min: 1 },
	{ key: 'eval_steps', kind: 'number', step: 1, min: 1 },
	{ key: 'save_steps', kind: 'number', step: 1, min: 1 },
	{ key: 'save_total_limit', kind: 'number', step: 1, min: 1 },
	{ key: 'nproc_per_node', kind: 'number', step: 1, min: 1 },
	{ key: 'deepspeed', kind: 'select', options: deepspeedConfigs, nullable: true },
	{ key: 'nnodes', kind: 'number', step: 1, min: 1 },
	{ key: 'node_rank', kind: 'number', step: 1, min: 0 },
	{ key: 'master_addr', kind: 'text' },
	{ key: 'master_port', kind: 'number', step: 1, min: 1 }
];

export const groupTitles: Record<FieldGroup, MessageKey> = {
	model: 'train.group.model',
	data: 'train.group.data',
	tuner: 'train.group.tuner',
	rlhf: 'train.group.rlhf',
	optimisation: 'train.group.optimisation',
	bookkeeping: 'train.group.bookkeeping',
	distributed: 'train.group.distributed'
};

/** Fields that only matter for some configurations, hidden otherwise to keep the form short. */
export function fieldVisible(key: keyof RunConfig, config: Partial<RunConfig>): boolean {
	// Distributed settings are ms-swift's launcher's; the built-in engine trains on one CPU.
	if (runFields[key].group === 'distributed') return config.engine === 'swift' && (!['node_rank', 'master_addr'].includes(key) || (config.nnodes ?? 1) > 1);
	if (key === 'beta') return config.rlhf_type !== 'none';
	if (['lora_rank', 'lora_alpha', 'lora_dropout', 'use_rslora', 'target_modules', 'modules_to_save'].includes(key)) return config.tuner_type !== 'full';
	if (key === 'packing') return config.rlhf_type === 'none';
	if (key === 'split_dataset_ratio') return !config.val_dataset;
	return true;
}
