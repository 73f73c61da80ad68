import type { RunConfig } from './runConfig';
import { runFieldDocsZh } from './runFields.zh';

export type FieldGroup = 'model' | 'data' | 'tuner' | 'rlhf' | 'optimisation' | 'bookkeeping';

export interface RunFieldDoc {
	/** The CLI flag, as ms-swift spells it. */
	flag: string;
	label: string;
	help: string;
	group: FieldGroup;
}

/**
 * Every field's flag and one-line help, shown beside the control (users asked for the parameter docs
 * inside the UI). `name` and `device` are console-only and have no flag.
 */
export const runFieldDocs: Record<Exclude<keyof RunConfig, 'name' | 'device' | 'engine'>, RunFieldDoc> = {
	model: { flag: '--model', label: 'Model', help: 'Model id or path; the built-in engine trains its own small presets from scratch.', group: 'model' },
	dataset: { flag: '--dataset', label: 'Dataset', help: 'Training data, in the ms-swift row format.', group: 'data' },
	val_dataset: { flag: '--val_dataset', label: 'Validation dataset', help: 'Separate validation data; otherwise a split of the training data.', group: 'data' },
	split_dataset_ratio: { flag: '--split_dataset_ratio', label: 'Validation split', help: 'Share of the training rows held out for eval_loss when no validation dataset is given.', group: 'data' },
	max_length: { flag: '--max_length', label: 'Max length', help: 'Longest sequence in tokens; longer rows are truncated from the end.', group: 'data' },
	packing: { flag: '--packing', label: 'Packing', help: 'Pack short samples into full sequences (attention never crosses samples).', group: 'data' },
	rlhf_type: { flag: '--rlhf_type', label: 'Preference method', help: 'none = supervised fine-tuning (swift sft); dpo / orpo / simpo use rejected_response.', group: 'rlhf' },
	beta: { flag: '--beta', label: 'Beta', help: 'Strength of the preference loss (DPO default 0.1).', group: 'rlhf' },
	tuner_type: { flag: '--tuner_type', label: 'Tuner', help: 'full trains every weight; lora trains small adapters.', group: 'tuner' },
	use_dora: { flag: '--use_dora', label: 'DoRA', help: 'Weight-decomposed LoRA: a learned magnitude per output.', group: 'tuner' },
	quant_bits: { flag: '--quant_bits', label: 'Quantise base', help: '4 = QLoRA (NF4, double-quantised scales), 8 = int8; the frozen base stays quantised.', group: 'tuner' },
	lora_rank: { flag: '--lora_rank', label: 'LoRA rank', help: 'Rank r of each adapter; trainable parameters grow linearly with it.', group: 'tuner' },
	lora_alpha: { flag: '--lora_alpha', label: 'LoRA alpha', help: 'Adapter scale: updates are multiplied by alpha / r.', group: 'tuner' },
	lora_dropout: { flag: '--lora_dropout', label: 'LoRA dropout', help: 'Dropout on the adapter input during training.', group: 'tuner' },
	target_modules: { flag: '--target_modules', label: 'Target modules', help: 'Which linear layers get adapters; all-linear covers attention and MLP.', group: 'tuner' },
	use_rslora: { flag: '--use_rslora', label: 'rsLoRA', help: 'Scale by alpha / sqrt(r), which keeps large ranks stable.', group: 'tuner' },
	freeze_llm: { flag: '--freeze_llm', label: 'Freeze LLM', help: 'Keep the language model fixed (train towers or aligner only).', group: 'tuner' },
	freeze_vit: { flag: '--freeze_vit', label: 'Freeze vision tower', help: 'Keep the vision/audio towers fixed.', group: 'tuner' },
	freeze_aligner: { flag: '--freeze_aligner', label: 'Freeze aligner', help: 'Keep the projector from tower features to the LLM fixed.', group: 'tuner' },
	num_train_epochs: { flag: '--num_train_epochs', label: 'Epochs', help: 'Passes over the training data (ignored when max_steps is set).', group: 'optimisation' },
	max_steps: { flag: '--max_steps', label: 'Max steps', help: 'Stop after this many optimizer steps; -1 = use epochs.', group: 'optimisation' },
	per_device_train_batch_size: { flag: '--per_device_train_batch_size', label: 'Batch size', help: 'Samples per forward pass on each device.', group: 'optimisation' },
	gradient_accumulation_steps: { flag: '--gradient_accumulation_steps', label: 'Gradient accumulation', help: 'Forward passes per optimizer step; effective batch = batch size x this.', group: 'optimisation' },
	learning_rate: { flag: '--learning_rate', label: 'Learning rate', help: 'Peak learning rate: 1e-4 is typical for LoRA, 1e-5 for full.', group: 'optimisation' },
	lr_scheduler_type: { flag: '--lr_scheduler_type', label: 'Scheduler', help: 'How the learning rate decays after warmup.', group: 'optimisation' },
	warmup_ratio: { flag: '--warmup_ratio', label: 'Warmup ratio', help: 'Share of steps spent ramping the learning rate up from 0.', group: 'optimisation' },
	weight_decay: { flag: '--weight_decay', label: 'Weight decay', help: 'AdamW decoupled weight decay.', group: 'optimisation' },
	max_grad_norm: { flag: '--max_grad_norm', label: 'Max grad norm', help: 'Gradients are clipped to this global norm.', group: 'optimisation' },
	seed: { flag: '--seed', label: 'Seed', help: 'Same seed, same data order and initialisation: runs are reproducible.', group: 'optimisation' },
	logging_steps: { flag: '--logging_steps', label: 'Logging steps', help: 'Report metrics every this many steps.', group: 'bookkeeping' },
	eval_steps: { flag: '--eval_steps', label: 'Eval steps', help: 'Compute eval_loss on the validation rows every this many steps.', group: 'bookkeeping' },
	save_steps: { flag: '--save_steps', label: 'Save steps', help: 'Write a checkpoint every this many steps (and at the end).', group: 'bookkeeping' },
	save_total_limit: { flag: '--save_total_limit', label: 'Checkpoints kept', help: 'Older checkpoints are deleted beyond this count.', group: 'bookkeeping' }
};

/** A field's flag, label and help in the page's language (flags are never translated). */
export function fieldDoc(key: keyof typeof runFieldDocs, locale: string): RunFieldDoc {
	const doc = runFieldDocs[key];
	return locale === 'zh' ? { ...doc, ...runFieldDocsZh[key] } : doc;
}
