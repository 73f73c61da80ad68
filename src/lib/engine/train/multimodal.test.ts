// Multimodal runs through the one Trainer: exact resume, checkpoints (full and adapter) that reload
// to identical logits for text, image, audio and video inputs, merging, and fine-tuning a trained
// multimodal base with LoRA.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beginStep, noGrad } from '../autograd/tape';
import { MediaFeatureCache } from '../models/multimodal/mediaPipeline';
import { MultimodalModel } from '../models/multimodal/model';
import { collateMultimodal } from '../models/multimodal/samples';
import { TINY_MULTIMODAL } from '../models/multimodal/testModel';
import { multimodalRows, testMediaLoaders } from '../models/multimodal/testRows';
import { describeSavedModel, loadSavedModel, mergeAdapter } from '../models/saved';
import type { TunerConfig } from '../tuners/config';
import type { TrainingArguments } from './config';
import type { TrainLog } from './state';
import { scratchDir } from './testModel';
import { Trainer, type TrainerOptions } from './trainer';

const ARGS: TrainingArguments = {
	max_steps: 6, per_device_train_batch_size: 3, gradient_accumulation_steps: 2, learning_rate: 5e-3, vit_lr: 2e-3, aligner_lr: 1e-2,
	lr_scheduler_type: 'cosine', warmup_ratio: 0.2, logging_steps: 1, save_steps: 100, seed: 5
};
const MEDIA = { loaders: testMediaLoaders, baseDir: '/media' };

function options(tuner: TunerConfig, outputDir: string, extra: Partial<TrainerOptions> = {}): TrainerOptions {
	return { model: { multimodal: TINY_MULTIMODAL }, tuner, train: multimodalRows(10), val: multimodalRows(4, 20), outputDir, args: ARGS, media: MEDIA, ...extra };
}

const losses = (logs: TrainLog[]) => logs.filter((l) => 'loss' in l || 'eval_loss' in l).map((l) => [l.step, l.loss ?? l.eval_loss, l.grad_norm, l.learning_rate]);

/** Logits of one prompt per input kind: text, image, audio, video. */
async function probeLogits(model: MultimodalModel): Promise<Float32Array[]> {
	const cache = new MediaFeatureCache(model.config, testMediaLoaders);
	const prompts = [
		[{ role: 'user' as const, content: 'say red' }, {}],
		[{ role: 'user' as const, content: '<image>colour?' }, { image: ['img1.png'] }],
		[{ role: 'user' as const, content: '<audio>count?' }, { audio: ['clip2.wav'] }],
		[{ role: 'user' as const, content: '<video>what?' }, { video: ['vid0.mp4'] }]
	] as const;
	const out: Float32Array[] = [];
	model.llm.adapterStep = { enabled: true, training: false, seed: 0 };
	for (const [message, lists] of prompts) {
		const batch = collateMultimodal([await cache.promptSample([message], lists, '/media')]);
		out.push(noGrad(() => {
			beginStep();
			return model.forward(batch).toArray();
		}));
	}
	return out;
}

const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((x, k) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - b[k][i])), 0)));

describe('multimodal training through the Trainer', () => {
	for (const tuner of [{ tuner_type: 'full', freeze_vit: false }, { tuner_type: 'lora', lora_rank: 2, lora_dropout: 0.1, freeze_vit: false }] as TunerConfig[]) {
		it(`${JSON.stringify(tuner)}: stop at step 3 + resume gives the uninterrupted losses and eval_loss bitwise`, async () => {
			const whole: TrainLog[] = [];
			const uninterrupted = await Trainer.create({ ...options(tuner, scratchDir()), args: { ...ARGS, eval_steps: 2 } });
			expect(uninterrupted.totalSteps).toBe(6);
			await uninterrupted.run({ onLog: (m) => whole.push(m) });
			expect(whole.filter((l) => 'eval_loss' in l).map((l) => l.step)).toEqual([2, 4, 6]);

			const dir = scratchDir();
			const first: TrainLog[] = [];
			let polls = 0;
			const stopped = await (await Trainer.create({ ...options(tuner, dir), args: { ...ARGS, eval_steps: 2 } })).run({ onLog: (m) => first.push(m), shouldStop: () => ++polls >= 3 });
			expect(stopped.status).toBe('stopped');
			const rest: TrainLog[] = [];
			const resumed = await Trainer.create({ ...options(tuner, dir, { resumeFromCheckpoint: join(dir, 'checkpoint-3') }), args: { ...ARGS, eval_steps: 2 } });
			await resumed.run({ onLog: (m) => rest.push(m) });
			expect(losses([...first, ...rest])).toEqual(losses(whole));
		});
	}

	it('a full checkpoint is SwiftBoardVLM HF layout and reloads to identical text, image, audio and video logits', async () => {
		const dir = scratchDir();
		const trainer = await Trainer.create(options({ tuner_type: 'full', freeze_vit: false }, dir, { args: { ...ARGS, max_steps: 2 } }));
		const { lastCheckpoint } = await trainer.run();
		const config = JSON.parse(readFileSync(join(lastCheckpoint as string, 'config.json'), 'utf8'));
		expect(config).toMatchObject({ architectures: ['SwiftBoardVLM'], model_type: 'swiftboard_vlm', text_config: { model_type: 'llama', hidden_size: 16 }, video_frames: 2 });
		expect(typeof config.chat_template).toBe('string');
		const info = await describeSavedModel(lastCheckpoint as string);
		expect(info).toMatchObject({ architecture: 'multimodal', format: 'full', modalities: ['text', 'image', 'audio', 'video'], tunerType: 'full' });
		const loaded = (await loadSavedModel(lastCheckpoint as string)) as MultimodalModel;
		expect(loaded).toBeInstanceOf(MultimodalModel);
		expect(await probeLogits(loaded)).toEqual(await probeLogits(trainer.model.model as MultimodalModel));
	});

	it('LoRA with freeze_vit: adapters plus the whole aligner (modules_to_save) reload, merge, and train again as a base', async () => {
		const dir = scratchDir();
		const trainer = await Trainer.create(options({ tuner_type: 'lora', lora_rank: 2, use_dora: true, freeze_vit: true }, dir, { args: { ...ARGS, max_steps: 2 } }));
		const ckpt = (await trainer.run()).lastCheckpoint as string;
		const adapterConfig = JSON.parse(readFileSync(join(ckpt, 'adapter_config.json'), 'utf8'));
		expect(adapterConfig.modules_to_save).toEqual(['multi_modal_projector']);
		expect(adapterConfig.base_model_name_or_path).toBe(join(dir, 'base_model'));
		const info = await describeSavedModel(ckpt);
		expect(info).toMatchObject({ architecture: 'multimodal', format: 'adapter', tunerType: 'dora', baseModel: join(dir, 'base_model') });
		const live = await probeLogits(trainer.model.model as MultimodalModel);
		expect(await probeLogits((await loadSavedModel(ckpt)) as MultimodalModel)).toEqual(live);
		const merged = join(scratchDir(), 'merged');
		expect(await mergeAdapter(ckpt, merged)).toMatchObject({ architecture: 'multimodal', format: 'full' });
		expect(maxDiff(await probeLogits((await loadSavedModel(merged)) as MultimodalModel), live)).toBeLessThan(1e-4);

		// Fine-tune the trained model again: LoRA on q/k/v/o over the adapter checkpoint (merged into its base first).
		const again = await Trainer.create({ ...options({ tuner_type: 'lora', lora_rank: 2, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'], freeze_vit: true, freeze_aligner: true }, scratchDir()), model: { checkpoint: ckpt }, args: { ...ARGS, max_steps: 2 } });
		expect(maxDiff(await probeLogits(again.model.model as MultimodalModel), live)).toBeLessThan(1e-4);
		expect(again.tuned.adapted.every((p) => /\.self_attn\.[qkvo]_proj$/.test(p.name))).toBe(true);
		expect(again.tuned.modulesToSave).toEqual([]);
		const second = (await again.run()).lastCheckpoint as string;
		expect((await describeSavedModel(second)).baseModel).toBe(ckpt);
		expect(await probeLogits((await loadSavedModel(second)) as MultimodalModel)).toEqual(await probeLogits(again.model.model as MultimodalModel));
	});

	it('modules_to_save lm_head and embed_tokens: the token tables train whole beside the adapters, are saved under their PEFT names, reload and merge', async () => {
		const trainer = await Trainer.create(options({ tuner_type: 'lora', lora_rank: 2, target_modules: ['q_proj', 'v_proj'], modules_to_save: ['lm_head', 'embed_tokens'], freeze_vit: true, freeze_aligner: true }, scratchDir(), { args: { ...ARGS, max_steps: 2, weight_decay: 0 } }));
		const m = trainer.model.decoder;
		const before = new Map([...m.params].map(([n, t]) => [n, t.toArray()]));
		expect(trainer.tuned.modulesToSave).toEqual(['embed_tokens', 'lm_head']);
		const ckpt = (await trainer.run()).lastCheckpoint as string;
		const changed = [...m.params].filter(([name, t]) => t.toArray().some((v, i) => v !== (before.get(name) as Float32Array)[i])).map(([name]) => name);
		// The adapters (q, v) are apart from the model's own tensors; of those only the two tables move.
		expect(changed.sort()).toEqual(['lm_head.weight', 'model.embed_tokens.weight']);
		const adapterConfig = JSON.parse(readFileSync(join(ckpt, 'adapter_config.json'), 'utf8'));
		expect(adapterConfig.modules_to_save).toEqual(['embed_tokens', 'lm_head']);
		const live = await probeLogits(trainer.model.model as MultimodalModel);
		expect(await probeLogits((await loadSavedModel(ckpt)) as MultimodalModel)).toEqual(live);
		const merged = join(scratchDir(), 'merged');
		await mergeAdapter(ckpt, merged);
		expect(maxDiff(await probeLogits((await loadSavedModel(merged)) as MultimodalModel), live)).toBeLessThan(1e-4);
		await expect(Trainer.create(options({ tuner_type: 'lora', modules_to_save: ['lm_hed'] }, scratchDir()))).rejects.toThrow('modules_to_save "lm_hed" names no module of this model');
	});

	it('freeze_llm + freeze_vit trains only the aligner; everything frozen is refused', async () => {
		const trainer = await Trainer.create(options({ tuner_type: 'full', freeze_llm: true, freeze_vit: true, freeze_aligner: false }, scratchDir(), { args: { ...ARGS, max_steps: 3, weight_decay: 0 } }));
		const m = trainer.model.decoder;
		const before = new Map([...m.params].map(([n, t]) => [n, t.toArray()]));
		await trainer.run();
		for (const [name, t] of m.params) {
			const changed = t.toArray().some((v, i) => v !== (before.get(name) as Float32Array)[i]);
			expect(changed, name).toBe(name.startsWith('multi_modal_projector.'));
		}
		await expect(Trainer.create(options({ tuner_type: 'full', freeze_llm: true, freeze_vit: true, freeze_aligner: true }, scratchDir()))).rejects.toThrow('nothing to train');
		await expect(Trainer.create(options({ tuner_type: 'lora', freeze_llm: true, freeze_vit: true, freeze_aligner: true }, scratchDir()))).rejects.toThrow('nothing to train');
		await expect(Trainer.create(options({ tuner_type: 'lora', target_modules: ['qkv'], freeze_vit: true, freeze_aligner: true }, scratchDir()))).rejects.toThrow('target_modules ["qkv"] matched no projection of the LLM, and the aligner is frozen: nothing to train');
		await expect(Trainer.create(options({ tuner_type: 'lora', target_modules: ['qkv'], freeze_vit: true }, scratchDir()))).rejects.toThrow('target_modules ["qkv"] matched no projection of the LLM');
	});

	for (const quant_bits of [4, 8] as const) {
		it(`QLoRA (${quant_bits}-bit base) on the decoder and towers: the trained aligner stays fp32 and the adapter reloads exactly`, async () => {
			const trainer = await Trainer.create(options({ tuner_type: 'lora', lora_rank: 2, quant_bits, use_rslora: true, freeze_vit: false }, scratchDir(), { args: { ...ARGS, max_steps: 2 } }));
			const projections = trainer.model.decoder.projections;
			expect(projections.filter((p) => p.tag !== 'aligner').every((p) => p.quantized?.kind === (quant_bits === 4 ? 'nf4' : 'int8') && p.adapter)).toBe(true);
			expect(projections.filter((p) => p.tag === 'aligner').every((p) => p.weight?.requiresGrad && !p.adapter)).toBe(true);
			const ckpt = (await trainer.run()).lastCheckpoint as string;
			expect((await describeSavedModel(ckpt)).tunerType).toBe('qlora');
			expect(await probeLogits((await loadSavedModel(ckpt)) as MultimodalModel)).toEqual(await probeLogits(trainer.model.model as MultimodalModel));
		});
	}

	it('describe names the multimodal config field that is wrong', async () => {
		const trainer = await Trainer.create(options({ tuner_type: 'full' }, scratchDir(), { args: { ...ARGS, max_steps: 1 } }));
		const ckpt = (await trainer.run()).lastCheckpoint as string;
		const path = join(ckpt, 'config.json');
		const config = JSON.parse(readFileSync(path, 'utf8'));
		writeFileSync(path, JSON.stringify({ ...config, vision_config: { ...config.vision_config, patch_size: undefined } }));
		await expect(describeSavedModel(ckpt)).rejects.toThrow('config.json: missing field vision_config.patch_size');
		writeFileSync(path, JSON.stringify({ ...config, audio_config: { ...config.audio_config, num_mel_bins: 8 } }));
		await expect(describeSavedModel(ckpt)).rejects.toThrow(/^model\.safetensors: tensor audio_tower\.subsample\.proj\.weight has shape \[8,24\], expected \[8,32\]$/);
	});
});
