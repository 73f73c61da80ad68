import { describe, expect, it } from 'vitest';
import { estimateRun } from './estimate';
import { builtinModelPresets } from './modelPresets';
import { applyTunerChoice, runConfigSchema, tunerChoiceOf } from './runConfig';
import { swiftCommand, trainScript } from './swiftCommand';

const base = { name: 'demo', model: 'nano', dataset: 'ds1' };

describe('run config', () => {
	it('fills ms-swift-like defaults', () => {
		const config = runConfigSchema.parse(base);
		expect(config).toMatchObject({ tuner_type: 'lora', lora_rank: 8, lora_alpha: 32, learning_rate: 1e-4, seed: 42 });
	});

	it('explains impossible combinations by field', () => {
		const result = runConfigSchema.safeParse({ ...base, tuner_type: 'full', quant_bits: 4 });
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].path).toEqual(['quant_bits']);
		// A saved model's id is a valid `model`; whether it exists is the server's check.
		expect(runConfigSchema.safeParse({ ...base, model: 'Zx8fq2Lw0aBcDeFgHiJk' }).success).toBe(true);
	});

	it('maps the tuner choice both ways and swaps the default learning rate', () => {
		const input = { ...base, learning_rate: 1e-4 };
		const full = applyTunerChoice(input, 'full');
		expect(full).toMatchObject({ tuner_type: 'full', learning_rate: 1e-5 });
		const qlora = applyTunerChoice(full, 'qlora');
		expect(qlora).toMatchObject({ tuner_type: 'lora', quant_bits: 4, learning_rate: 1e-4 });
		expect(tunerChoiceOf(runConfigSchema.parse(qlora))).toBe('qlora');
		expect(tunerChoiceOf(runConfigSchema.parse(applyTunerChoice(input, 'dora')))).toBe('dora');
	});
});

describe('swift command', () => {
	it('writes only what differs from ms-swift defaults', () => {
		const config = runConfigSchema.parse({ ...base, lora_rank: 16, rlhf_type: 'dpo', beta: 0.2 });
		const command = swiftCommand(config, { datasetPath: 'data/datasets/ds1/data.jsonl', outputDir: 'output/demo' });
		expect(command.split(' \\\n  ')[0]).toBe('swift rlhf --rlhf_type dpo');
		expect(command).toContain('--lora_rank 16');
		expect(command).toContain('--beta 0.2');
		expect(command).not.toContain('--lora_alpha');
		expect(command).toContain('--output_dir output/demo');
	});

	it('trains from a saved model: its folder, or an adapter on its base, and resumes from a checkpoint', () => {
		const config = runConfigSchema.parse({ ...base, model: 'Zx8fq2Lw0aBcDeFgHiJk' });
		const paths = { datasetPath: 'd.jsonl', outputDir: 'out' };
		const full = swiftCommand(config, { ...paths, savedModel: { path: 'models/m1', format: 'full', basePath: null } });
		expect(full).toContain('--model models/m1');
		expect(full).not.toContain('--adapters');
		const adapter = swiftCommand(config, { ...paths, savedModel: { path: 'runs/r1/checkpoint-20', format: 'adapter', basePath: 'nano' } });
		expect(adapter).toContain('--model nano');
		expect(adapter).toContain('--adapters runs/r1/checkpoint-20');
		const resumed = swiftCommand(runConfigSchema.parse(base), { ...paths, resume: { checkpoint: 'out/checkpoint-10', onlyModel: true } });
		expect(resumed).toContain('--resume_from_checkpoint out/checkpoint-10');
		expect(resumed).toContain('--resume_only_model true');
		expect(swiftCommand(runConfigSchema.parse(base), { ...paths, resume: { checkpoint: 'out/checkpoint-10', onlyModel: false } })).not.toContain('--resume_only_model');
	});

	it('quotes values a shell would split and pins the GPU in train.sh', () => {
		const config = runConfigSchema.parse({ ...base, engine: 'swift', model: "Qwen/Qwen2.5-0.5B it's", device: 'cuda:1' });
		const script = trainScript(config, { datasetPath: 'my data.jsonl', outputDir: 'out' });
		expect(script).toContain(`--model 'Qwen/Qwen2.5-0.5B it'"'"'s'`);
		expect(script).toContain("--dataset 'my data.jsonl'");
		expect(script).toContain('CUDA_VISIBLE_DEVICES=1 swift sft');
	});
});

describe('estimate', () => {
	it('counts LoRA trainable parameters as r x (in + out) per target', () => {
		const config = runConfigSchema.parse({ ...base, lora_rank: 4, target_modules: ['q_proj'] });
		const { hiddenSize, numLayers } = builtinModelPresets.nano;
		expect(estimateRun(config)?.trainableParams).toBe(4 * (hiddenSize + hiddenSize) * numLayers);
	});

	// 'counts exactly the parameters the engine builds' compares with the engine: src/lib/engine/models/presets.test.ts.

	it('QLoRA needs far less weight memory than full fine-tuning', () => {
		const qlora = estimateRun(runConfigSchema.parse({ ...base, model: 'micro', quant_bits: 4 }));
		const full = estimateRun(runConfigSchema.parse({ ...base, model: 'micro', tuner_type: 'full' }));
		expect(qlora && full && qlora.memoryBytes.weights < full.memoryBytes.weights / 2).toBe(true);
		expect(full?.trainableParams).toBe(full?.totalParams);
	});
});
