import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createLoraConfig,
	loraScaling,
	loraWeightName,
	parseLoraWeightName,
	readAdapterConfig,
	readModelConfig,
	writeAdapterConfig,
	writeModelConfig,
	type HfModelConfig
} from './peft';

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'swiftboard-peft-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('HF and PEFT configs', () => {
	it('round-trips config.json, keeping fields the engine does not know', async () => {
		const config: HfModelConfig = {
			architectures: ['LlamaForCausalLM'],
			model_type: 'llama',
			vocab_size: 266,
			hidden_size: 64,
			num_hidden_layers: 2,
			num_attention_heads: 4,
			rope_scaling: null
		};
		await writeModelConfig(dir, config);
		expect(await readModelConfig(dir)).toEqual(config);
		expect(await readFile(join(dir, 'config.json'), 'utf8')).toContain('\n  "model_type": "llama"');
	});

	it('rejects a config.json missing required sizes, naming the file and field', async () => {
		await writeFile(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', vocab_size: 10 }));
		await expect(readModelConfig(dir)).rejects.toThrow(/config\.json: "hidden_size" must be a positive integer/);
	});

	it('round-trips adapter_config.json and fills flags older PEFT versions omit', async () => {
		const config = createLoraConfig({ r: 8, loraAlpha: 32, targetModules: ['q_proj', 'v_proj'] });
		expect(config).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', lora_dropout: 0.05, bias: 'none' });
		await writeAdapterConfig(dir, config);
		expect(await readAdapterConfig(dir)).toEqual(config);

		await writeFile(join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 4, lora_alpha: 8 }));
		expect(await readAdapterConfig(dir)).toMatchObject({ use_dora: false, use_rslora: false });
		await writeFile(join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'IA3', r: 4 }));
		await expect(readAdapterConfig(dir)).rejects.toThrow(/only LoRA adapters/);
	});

	it('computes LoRA scaling with and without rsLoRA', () => {
		expect(loraScaling({ r: 8, lora_alpha: 32, use_rslora: false })).toBe(4);
		expect(loraScaling({ r: 16, lora_alpha: 32, use_rslora: true })).toBe(8);
	});
});

describe('adapter weight names', () => {
	it('maps base weights to PEFT adapter names and back', () => {
		const base = 'model.layers.0.self_attn.q_proj.weight';
		const a = 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight';
		expect(loraWeightName(base, 'A')).toBe(a);
		expect(loraWeightName(base, 'B')).toBe(a.replace('lora_A', 'lora_B'));
		expect(parseLoraWeightName(a)).toEqual({ baseWeightName: base, part: 'A' });
		expect(parseLoraWeightName(base)).toBeUndefined();
		expect(() => loraWeightName('model.layers.0.self_attn.q_proj.bias', 'A')).toThrow(/not a weight name/);
	});
});
