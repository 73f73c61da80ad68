import { z } from 'zod';
import { runDeviceProblem } from './runDevice';
import { engineProblems } from './runEngine';
import { runFieldKeys, runFields, type RunField, type RunFields } from './runFields';

/**
 * One run configuration, named exactly as ms-swift's CLI flags so the console and `swift sft` speak the
 * same language. The Train page, the API, the scheduler and the device worker all validate with this.
 * Its fields come from the one field table (runFields.ts); the rules between fields are here.
 */

export { builtinRlhfTypes, deepspeedConfigs, engines, lrSchedulerTypes, rlhfTypes, tunerTypes } from './runFields';

type RunShape = { [K in RunField]: RunFields[K]['schema'] };
const shape = Object.fromEntries(runFieldKeys.map((key) => [key, runFields[key].schema])) as RunShape;

export const runConfigSchema = z
	.object(shape)
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
		for (const problem of engineProblems(config)) ctx.addIssue({ code: 'custom', path: [problem.field], message: problem.message });
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
