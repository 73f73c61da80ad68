import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../../src/lib/shared/run/runConfig';
import { trainerInputsOf } from '../../src/lib/shared/run/trainerInputs';
import { modelSourceOf } from './trainerOptions';

const tunerOf = (c: typeof config) => trainerInputsOf(c).tuner;
const trainingArgumentsOf = (c: typeof config) => trainerInputsOf(c).args;
const lossOf = (c: typeof config) => trainerInputsOf(c).loss;

const config = runConfigSchema.parse({ name: 'r', model: 'demo-vlm', dataset: 'd', tuner_type: 'lora', use_dora: true, freeze_vit: true, target_modules: ['q_proj', 'v_proj'], max_steps: 30, save_total_limit: null });

describe('trainer options from a run config', () => {
	it('starts from the saved model when the job names one, else from the preset', () => {
		expect(modelSourceOf({ modelDir: '/data/runs/a/checkpoint-10' }, config)).toEqual({ checkpoint: '/data/runs/a/checkpoint-10' });
		expect(modelSourceOf({ modelDir: null }, config)).toBe('demo-vlm');
	});

	it('applies the tuner the form says, towers included', () => {
		expect(tunerOf(config)).toMatchObject({ tuner_type: 'lora', use_dora: true, freeze_vit: true, freeze_llm: false, target_modules: ['q_proj', 'v_proj'], quant_bits: undefined });
		expect(tunerOf({ ...config, quant_bits: 4 }).quant_bits).toBe(4);
	});

	it('passes max_steps and an unlimited checkpoint count through', () => {
		const args = trainingArgumentsOf(config);
		expect(args.max_steps).toBe(30);
		expect(args.save_total_limit).toBeUndefined();
		expect(trainingArgumentsOf({ ...config, save_total_limit: 2 }).save_total_limit).toBe(2);
	});

	it('trains SFT unless a preference loss is chosen', () => {
		expect(lossOf(config)).toBeUndefined();
		expect(lossOf({ ...config, rlhf_type: 'dpo', beta: 0.2 })).toEqual({ rlhf_type: 'dpo', beta: 0.2 });
	});
});
