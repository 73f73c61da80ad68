// Saved text models: describe validates every field and tensor with errors that name the file,
// adapters load on their base to the training-time logits, and merging keeps those logits.

import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../checkpoint/safetensors';
import { inferenceModel } from '../train/inference';
import { arithmeticRows } from '../train/testData';
import { scratchDir, TINY } from '../train/testModel';
import { Trainer } from '../train/trainer';
import type { TunerConfig } from '../tuners/config';
import { LlamaModel } from './llama/model';
import { describeSavedModel, loadSavedModel, mergeAdapter } from './saved';

async function trained(tuner: TunerConfig) {
	const dir = scratchDir();
	const trainer = await Trainer.create({ model: TINY, tuner, train: arithmeticRows(8), outputDir: dir, args: { max_steps: 2, per_device_train_batch_size: 4, learning_rate: 1e-2, seed: 3 } });
	const { lastCheckpoint } = await trainer.run();
	return { trainer, dir, checkpoint: lastCheckpoint as string };
}

const IDS = [1, 72, 105, 33, 4, 50, 60];
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('saved text models', () => {
	it('describes a full checkpoint and its seeded base, and reloads identical logits', async () => {
		const { trainer, checkpoint } = await trained({ tuner_type: 'full' });
		const info = await describeSavedModel(checkpoint);
		const total = [...trainer.model.decoder.params.values()].reduce((s, t) => s + t.size, 0);
		expect(info).toEqual({ architecture: 'llama', format: 'full', modalities: ['text'], parameters: total, trainableParameters: total, baseModel: null, tunerType: 'full' });
		const loaded = await loadSavedModel(checkpoint);
		expect(loaded).toBeInstanceOf(LlamaModel);
		expect(inferenceModel(loaded as LlamaModel).forwardLogits(IDS)).toEqual(inferenceModel(trainer.model.decoder).forwardLogits(IDS));
	});

	it('describes a DoRA adapter over its base, loads it unmerged, and merges to the same logits', async () => {
		const { trainer, dir, checkpoint } = await trained({ tuner_type: 'lora', lora_rank: 2, use_dora: true, target_modules: ['q_proj', 'v_proj'] });
		const info = await describeSavedModel(checkpoint);
		expect(info.format).toBe('adapter');
		expect(info.baseModel).toBe(join(dir, 'base_model'));
		expect(info.tunerType).toBe('dora');
		expect(info.trainableParameters).toBe(trainer.tuned.trainable.reduce((s, [, t]) => s + t.size, 0));
		const live = inferenceModel(trainer.model.decoder).forwardLogits(IDS);
		const loaded = (await loadSavedModel(checkpoint)) as LlamaModel;
		expect(loaded.projections.filter((p) => p.adapter).length).toBe(4);
		expect(inferenceModel(loaded).forwardLogits(IDS)).toEqual(live);
		const out = join(scratchDir(), 'merged');
		const merged = await mergeAdapter(checkpoint, out);
		expect(merged).toMatchObject({ format: 'full', baseModel: null, parameters: info.parameters });
		expect(maxDiff(inferenceModel((await loadSavedModel(out)) as LlamaModel).forwardLogits(IDS), live)).toBeLessThan(1e-4);
		await expect(mergeAdapter(out, join(scratchDir(), 'again'))).rejects.toThrow('holds a full model, not an adapter');
	});

	it('names the file and the field or tensor that is wrong', async () => {
		const { checkpoint } = await trained({ tuner_type: 'full' });
		const broken = (edit: (dir: string) => void) => {
			const dir = join(scratchDir(), 'copy');
			cpSync(checkpoint, dir, { recursive: true });
			edit(dir);
			return describeSavedModel(dir);
		};
		const config = (dir: string) => JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
		const writeConfig = (dir: string, c: unknown) => writeFileSync(join(dir, 'config.json'), JSON.stringify(c));
		await expect(broken((d) => writeConfig(d, { ...config(d), architectures: ['GPTNeoX'] }))).rejects.toThrow('config.json: unknown architecture "GPTNeoX"');
		await expect(broken((d) => { const c = config(d); delete c.hidden_size; writeConfig(d, c); })).rejects.toThrow('config.json: missing field hidden_size');
		await expect(broken((d) => writeConfig(d, { ...config(d), hidden_size: 128 }))).rejects.toThrow(/^model\.safetensors: tensor model\.embed_tokens\.weight has shape \[\d+,64\], expected \[\d+,128\]$/);
		await expect(broken((d) => writeConfig(d, { ...config(d), num_hidden_layers: 3 }))).rejects.toThrow('model.safetensors: missing tensor model.layers.2.input_layernorm.weight');
		await expect(broken((d) => writeConfig(d, { ...config(d), num_hidden_layers: 1 }))).rejects.toThrow('model.safetensors: unknown tensor model.layers.1.');
		const adapter = await trained({ tuner_type: 'lora', lora_rank: 2 });
		const wrongBase = join(scratchDir(), 'adapter');
		cpSync(adapter.checkpoint, wrongBase, { recursive: true });
		const ac = JSON.parse(readFileSync(join(wrongBase, 'adapter_config.json'), 'utf8'));
		writeFileSync(join(wrongBase, 'adapter_config.json'), JSON.stringify({ ...ac, r: 3 }));
		await expect(describeSavedModel(wrongBase)).rejects.toThrow(/^adapter_model\.safetensors: tensor base_model\.model\.model\.layers\.0\..*lora_A\.weight has shape \[2,64\], expected \[3,64\]$/);
		copyFileSync(join(adapter.checkpoint, 'adapter_config.json'), join(wrongBase, 'adapter_config.json'));
		await writeSafetensors(join(wrongBase, 'adapter_model.safetensors'), [{ name: 'base_model.model.model.layers.0.mlp.nope.lora_A.weight', dtype: 'F32', shape: [2, 64], data: new Float32Array(128) }]);
		await expect(describeSavedModel(wrongBase)).rejects.toThrow('adapter_model.safetensors: unknown tensor base_model.model.model.layers.0.mlp.nope.lora_A.weight');
		writeFileSync(join(wrongBase, 'adapter_config.json'), JSON.stringify({ ...ac, base_model_name_or_path: join(scratchDir(), 'gone') }));
		await expect(describeSavedModel(wrongBase)).rejects.toThrow(/^base model .*gone: .*holds neither config\.json nor adapter_config\.json$/);
	});
});
