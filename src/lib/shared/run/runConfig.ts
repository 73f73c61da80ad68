import { z } from 'zod';
import { runDeviceProblem } from './runDevice';

/**
 * One run configuration, named exactly as ms-swift's CLI flags so the console and `swift sft` speak the
 * same language. The Train page, the API, the scheduler and the device worker all validate with this.
 */

export const tunerTypes = ['full', 'lora'] as const;
export const rlhfTypes = ['none', 'dpo', 'orpo', 'simpo'] as const;
export const lrSchedulerTypes = ['cosine', 'linear', 'constant'] as const;
export const engines = ['builtin', 'swift'] as const;

const targetModulesSchema = z.union([
	z.literal('all-linear'),
	z.array(z.enum(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'])).min(1, 'Pick at least one module')
]);

export const runConfigSchema = z
	.object({
		name: z.string().trim().min(1, 'Give the run a name').max(80),
		engine: z.enum(engines).default('builtin'),
		// A built-in preset or a saved model's id; the server checks that a saved model exists.
		model: z.string().trim().min(1, 'Choose a model'),
		dataset: z.string().min(1, 'Choose a dataset'),
		val_dataset: z.string().nullable().default(null),
		split_dataset_ratio: z.number().min(0).max(0.5).default(0.05),
		rlhf_type: z.enum(rlhfTypes).default('none'),
		beta: z.number().positive().max(10).default(0.1),
		tuner_type: z.enum(tunerTypes).default('lora'),
		use_dora: z.boolean().default(false),
		quant_bits: z.union([z.literal(4), z.literal(8)]).nullable().default(null),
		lora_rank: z.number().int().min(1).max(1024).default(8),
		lora_alpha: z.number().int().min(1).max(4096).default(32),
		lora_dropout: z.number().min(0).max(0.9).default(0.05),
		target_modules: targetModulesSchema.default('all-linear'),
		use_rslora: z.boolean().default(false),
		freeze_llm: z.boolean().default(false),
		freeze_vit: z.boolean().default(true),
		freeze_aligner: z.boolean().default(false),
		num_train_epochs: z.number().positive().max(1000).default(1),
		max_steps: z.number().int().min(-1).max(10_000_000).default(-1),
		per_device_train_batch_size: z.number().int().min(1).max(4096).default(4),
		gradient_accumulation_steps: z.number().int().min(1).max(4096).default(1),
		learning_rate: z.number().positive().max(1).default(1e-4),
		lr_scheduler_type: z.enum(lrSchedulerTypes).default('cosine'),
		warmup_ratio: z.number().min(0).max(1).default(0.05),
		weight_decay: z.number().min(0).max(10).default(0.1),
		max_grad_norm: z.number().positive().max(1e6).default(1),
		max_length: z.number().int().min(8).max(1_048_576).default(512),
		packing: z.boolean().default(false),
		logging_steps: z.number().int().min(1).max(100_000).default(1),
		eval_steps: z.number().int().min(1).max(1_000_000).default(50),
		save_steps: z.number().int().min(1).max(1_000_000).default(100),
		save_total_limit: z.number().int().min(1).max(1000).nullable().default(2),
		seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
		device: z.string().default('auto')
	})
	.superRefine((config, ctx) => {
		if (config.quant_bits !== null && config.tuner_type !== 'lora') {
			ctx.addIssue({ code: 'custom', path: ['quant_bits'], message: 'Quantised training (QLoRA, int8) trains LoRA adapters: set tuner_type to lora' });
		}
		if (config.use_dora && config.tuner_type !== 'lora') {
			ctx.addIssue({ code: 'custom', path: ['use_dora'], message: 'DoRA is a LoRA variant: set tuner_type to lora' });
		}
		if (config.rlhf_type !== 'none' && config.packing) {
			ctx.addIssue({ code: 'custom', path: ['packing'], message: 'Packing applies to SFT only; turn it off for preference training' });
		}
		const deviceProblem = runDeviceProblem(config);
		if (deviceProblem) ctx.addIssue({ code: 'custom', path: ['device'], message: deviceProblem });
		if (config.freeze_llm && config.freeze_vit && config.freeze_aligner && config.tuner_type === 'full') {
			ctx.addIssue({ code: 'custom', path: ['freeze_llm'], message: 'Everything is frozen: nothing would train' });
		}
	});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type RunConfigInput = z.input<typeof runConfigSchema>;

/** The one select on the Train page that maps onto tuner_type, use_dora and quant_bits. */
export const tunerChoices = ['lora', 'dora', 'qlora', 'int8', 'full'] as const;
export type TunerChoice = (typeof tunerChoices)[number];

export function tunerChoiceOf(config: Pick<RunConfig, 'tuner_type' | 'use_dora' | 'quant_bits'>): TunerChoice {
	if (config.tuner_type === 'full') return 'full';
	if (config.quant_bits === 4) return 'qlora';
	if (config.quant_bits === 8) return 'int8';
	return config.use_dora ? 'dora' : 'lora';
}

export function applyTunerChoice<T extends RunConfigInput>(config: T, choice: TunerChoice): T {
	const next = { ...config, tuner_type: choice === 'full' ? 'full' : 'lora', use_dora: choice === 'dora', quant_bits: choice === 'qlora' ? 4 : choice === 'int8' ? 8 : null };
	// ms-swift's advice: 1e-4 for adapters, 1e-5 for full fine-tuning. Only replace the other default.
	if (choice === 'full' && config.learning_rate === 1e-4) next.learning_rate = 1e-5;
	if (choice !== 'full' && config.learning_rate === 1e-5) next.learning_rate = 1e-4;
	return next as T;
}

export const defaultRunConfig: RunConfig = runConfigSchema.parse({ name: 'run', model: 'nano', dataset: 'none' });
