// A run configuration (ms-swift's flag names, validated by the shared schema) turned into what the
// engine's Trainer takes: the model to start from, the tuner, the loss and the hyper-parameters.

import type { ModelSource } from '../../src/lib/engine/train/index';
import type { RunConfig } from '../../src/lib/shared/run/runConfig';
import type { TrainJobPayload } from '../../src/lib/shared/run/runRecord';

/** A saved model's directory when the run starts from one, else the built-in preset by name. */
export function modelSourceOf(job: Pick<TrainJobPayload, 'modelDir'>, config: Pick<RunConfig, 'model'>): ModelSource {
	// The run config's schema admits only the engine's preset names when no saved model is named.
	return job.modelDir ? { checkpoint: job.modelDir } : (config.model as ModelSource);
}

export function tunerOf(config: RunConfig) {
	return {
		tuner_type: config.tuner_type,
		lora_rank: config.lora_rank,
		lora_alpha: config.lora_alpha,
		lora_dropout: config.lora_dropout,
		target_modules: config.target_modules,
		use_rslora: config.use_rslora,
		use_dora: config.use_dora,
		quant_bits: config.quant_bits ?? undefined,
		freeze_llm: config.freeze_llm,
		freeze_vit: config.freeze_vit,
		freeze_aligner: config.freeze_aligner
	};
}

export function trainingArgumentsOf(config: RunConfig) {
	return {
		num_train_epochs: config.num_train_epochs,
		max_steps: config.max_steps,
		per_device_train_batch_size: config.per_device_train_batch_size,
		gradient_accumulation_steps: config.gradient_accumulation_steps,
		max_length: config.max_length,
		packing: config.packing,
		lr_scheduler_type: config.lr_scheduler_type,
		warmup_ratio: config.warmup_ratio,
		learning_rate: config.learning_rate,
		weight_decay: config.weight_decay,
		max_grad_norm: config.max_grad_norm,
		eval_steps: config.eval_steps,
		save_steps: config.save_steps,
		save_total_limit: config.save_total_limit ?? undefined,
		logging_steps: config.logging_steps,
		seed: config.seed
	};
}

export function lossOf(config: RunConfig) {
	return config.rlhf_type === 'none' ? undefined : { rlhf_type: config.rlhf_type, beta: config.beta };
}
