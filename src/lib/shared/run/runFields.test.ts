import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import { runConfigSchema } from './runConfig';
import { flagFields, runFieldKeys, runFields } from './runFields';
import { swiftCommand } from './swiftCommand';
import { trainerInputsOf } from './trainerInputs';

const base = { name: 'demo', model: 'nano', dataset: 'ds1' };
const paths = { datasetPath: 'data.jsonl', outputDir: 'out' };

describe('run field table', () => {
	it("the schema's defaults are the table's", () => {
		const config = runConfigSchema.parse(base) as Record<string, unknown>;
		expect(Object.keys(config).sort()).toEqual([...runFieldKeys].sort());
		for (const key of runFieldKeys) {
			if (key in base) continue;
			expect(config[key], key).toEqual(runFields[key].default);
		}
	});

	it('every flag has a label and help in English and Chinese', () => {
		const catalogs: Record<string, Record<string, string>> = { en, zh };
		for (const key of flagFields) {
			for (const [locale, catalog] of Object.entries(catalogs)) {
				for (const part of ['label', 'help']) expect(catalog[`field.${key}.${part}`]?.trim(), `${locale} field.${key}.${part}`).toBeTruthy();
			}
			expect(zh[`field.${key}.help`]).not.toBe(en[`field.${key}.help`]);
		}
		expect(flagFields).not.toContain('name');
		expect(flagFields).not.toContain('device');
	});
});

describe('command preview from the table', () => {
	it('a default run writes only the flags whose console default differs from ms-swift', () => {
		const command = swiftCommand(runConfigSchema.parse(base), paths).split(' \\\n  ');
		expect(command).toEqual([
			'swift sft',
			'--model nano',
			'--dataset data.jsonl',
			'--split_dataset_ratio 0.05',
			'--max_length 512',
			'--freeze_aligner false',
			'--num_train_epochs 1',
			'--per_device_train_batch_size 4',
			'--learning_rate 0.0001',
			'--warmup_ratio 0.05',
			'--logging_steps 1',
			'--eval_steps 50',
			'--save_steps 100',
			'--save_total_limit 2',
			'--add_version false',
			'--output_dir out'
		]);
	});

	it('values equal to ms-swift defaults disappear; flags of another kind of run are left out', () => {
		const config = runConfigSchema.parse({ ...base, tuner_type: 'full', lora_rank: 64, num_train_epochs: 3, per_device_train_batch_size: 1, max_steps: 200, target_modules: ['q_proj', 'v_proj'], val_dataset: 'val' });
		const command = swiftCommand(config, { ...paths, valDatasetPath: 'val.jsonl' });
		expect(command).toContain('--tuner_type full');
		expect(command).toContain('--max_steps 200');
		expect(command).toContain('--val_dataset val.jsonl');
		for (const absent of ['--lora_rank', '--target_modules', '--num_train_epochs', '--per_device_train_batch_size', '--split_dataset_ratio', '--beta']) expect(command).not.toContain(absent);
	});

	it('lists module names and quantised bases as ms-swift reads them', () => {
		const command = swiftCommand(runConfigSchema.parse({ ...base, quant_bits: 4, target_modules: ['q_proj', 'v_proj'], rlhf_type: 'orpo' }), paths);
		expect(command).toContain('--target_modules q_proj v_proj');
		expect(command).not.toContain('--modules_to_save');
		expect(swiftCommand(runConfigSchema.parse({ ...base, modules_to_save: ['embed_tokens', 'lm_head'] }), paths)).toContain('--modules_to_save embed_tokens lm_head');
		expect(swiftCommand(runConfigSchema.parse({ ...base, tuner_type: 'full', modules_to_save: ['lm_head'] }), paths)).not.toContain('--modules_to_save');
		expect(runConfigSchema.safeParse({ ...base, modules_to_save: ['lm_hed'] }).success).toBe(false);
		expect(command).toContain('--quant_method bnb \\\n  --quant_bits 4');
		expect(command.startsWith('swift rlhf --rlhf_type orpo')).toBe(true);
		expect(command).not.toContain('--beta');
	});
});

describe('trainer inputs from the table', () => {
	it("gives the engine the sections the runner's hand copy gave it", () => {
		const config = runConfigSchema.parse({ ...base, lora_rank: 16, save_total_limit: null });
		expect(trainerInputsOf(config)).toEqual({
			model: 'nano',
			tuner: {
				tuner_type: 'lora',
				lora_rank: 16,
				lora_alpha: 32,
				lora_dropout: 0.05,
				target_modules: 'all-linear',
				modules_to_save: [],
				use_rslora: false,
				use_dora: false,
				quant_bits: undefined,
				freeze_llm: false,
				freeze_vit: true,
				freeze_aligner: false
			},
			args: {
				num_train_epochs: 1,
				max_steps: -1,
				per_device_train_batch_size: 4,
				gradient_accumulation_steps: 1,
				max_length: 512,
				packing: false,
				lr_scheduler_type: 'cosine',
				warmup_ratio: 0.05,
				learning_rate: 1e-4,
				weight_decay: 0.1,
				max_grad_norm: 1,
				eval_steps: 50,
				save_steps: 100,
				save_total_limit: undefined,
				logging_steps: 1,
				seed: 42
			}
		});
	});

	it('adds the loss section for preference training only', () => {
		expect(trainerInputsOf(runConfigSchema.parse(base)).loss).toBeUndefined();
		const dpo = trainerInputsOf(runConfigSchema.parse({ ...base, rlhf_type: 'dpo', beta: 0.3, quant_bits: 8 }));
		expect(dpo.loss).toEqual({ rlhf_type: 'dpo', beta: 0.3 });
		expect(dpo.tuner.quant_bits).toBe(8);
	});
});
