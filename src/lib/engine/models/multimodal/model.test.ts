import { describe, expect, it } from 'vitest';
import { fromArray } from '../../tensor/create';
import { applyTuner } from '../../tuners/apply';
import { AUDIO_ID, IGNORE_INDEX, IMAGE_ID } from '../../tokenizer/specialTokens';
import { featureTokens, mergedTokens, patchCount, resolveMultimodalConfig, videoWindowOrder } from './config';
import { gradError, seededValues, testParameter } from '../../autograd/ops/gradCheck';
import { MultimodalModel } from './model';
import { collateMultimodal, expandPlaceholders, type MultimodalSample } from './samples';
import { TINY_MULTIMODAL } from './testModel';
import { patchify, pictureInput, splitPictures } from './towerInputs';

function imageSample(model: MultimodalModel, seed: number): MultimodalSample {
	const n = model.featureTokens('image');
	const ids = [1, IMAGE_ID, 70, 71, 72];
	const labels = [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 71, 72];
	const e = expandPlaceholders(ids, labels, [{ kind: 'image', tokenIndex: 1, mediaIndex: 0 }], () => n);
	return { inputIds: e.inputIds, labels: e.labels, media: [{ kind: 'image', start: e.starts[0], length: n, data: seededValues(model.inputSize('image'), seed) }] };
}

describe('multimodal model', () => {
	it('names parameters HF-style and tags towers vit, projectors aligner', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 1);
		expect(m.llm.tags.get('visual.blocks.0.attn.qkv.weight')).toBe('vit');
		expect(m.llm.tags.get('audio_tower.layers.0.mlp.fc1.weight')).toBe('vit');
		expect(m.llm.tags.get('visual.temporal_embed')).toBe('vit');
		expect(m.llm.tags.get('multi_modal_projector.image.linear_1.weight')).toBe('aligner');
		expect(m.llm.tags.get('model.layers.0.self_attn.q_proj.weight')).toBe('llm');
	});

	it('patchify stores patches in Z-order so 2x2 windows are consecutive', () => {
		const v = resolveMultimodalConfig(TINY_MULTIMODAL).vision;
		// Pixel value = patch column + 10 * patch row, in every channel.
		const S = v.image_size;
		const img = Float32Array.from({ length: 3 * S * S }, (_, i) => Math.floor((i % S) / 4) + 10 * Math.floor(Math.floor(i / S) % S / 4));
		const p = patchify(img, v);
		const first = Array.from({ length: patchCount(v) }, (_, k) => p[k * 48]);
		expect(first).toEqual([0, 1, 10, 11, 2, 3, 12, 13, 20, 21, 30, 31, 22, 23, 32, 33]);
	});

	it('video positions each take one window of patches through every frame', () => {
		// 2 frames of 8 patches, windows of 4: window 0 in frames 0 and 1, then window 1 in both.
		expect(Array.from(videoWindowOrder(1, 2, 8, 4))).toEqual([0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15]);
		expect(Array.from(videoWindowOrder(2, 2, 4, 4).slice(8))).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
		const c = resolveMultimodalConfig(TINY_MULTIMODAL);
		expect(mergedTokens(c, 'video')).toBe(4 * c.video_frames);
		expect(featureTokens(c, 'video')).toBe(patchCount(c.vision) / 4);
		const m = new MultimodalModel(TINY_MULTIMODAL, 6);
		const video = seededValues(m.inputSize('video'), 12);
		expect(m.features('video', { data: video, count: 1, rows: new Int32Array(0) }).shape).toEqual([featureTokens(c, 'video'), c.llm.hidden_size]);
	});

	it('video frames go through the picture aligner first layer, and the video aligner matches finite differences', () => {
		expect(() => resolveMultimodalConfig({ ...TINY_MULTIMODAL, merge: { image: 4, video: 16 } })).toThrow(/merge.video must equal merge.image \(4\)/);
		const m = new MultimodalModel(TINY_MULTIMODAL, 9);
		const c = m.config;
		const positions = 2;
		const perPosition = c.video_frames * c.merge.video;
		const tokens = testParameter([positions * perPosition, c.vision.hidden_size], 14);
		const colours = testParameter([positions * perPosition, 3], 15);
		const video = m.aligners.video;
		const step = m.llm.adapterStep;
		expect(video.forward(tokens, step, colours).shape).toEqual([positions, c.llm.hidden_size]);
		const shared = m.aligners.image.linear1.weight!;
		expect(gradError(() => video.forward(tokens, step, colours), [shared, video.linear2.weight!, video.colour.weight!, tokens, colours])).toBeLessThan(2e-2);
		// The frames' weights are the pictures': a video's loss moves the picture aligner's first layer.
		expect(m.llm.tags.has('multi_modal_projector.video.linear_1.weight')).toBe(false);
	});

	it('the vision tower sees luma only; colour reaches the features through the aligner', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 8);
		const v = m.config.vision;
		const plane = v.image_size ** 2;
		const image = seededValues(3 * plane, 13);
		// Shift every pixel along (0.587, -0.299, 0), a direction with no luma: same brightness, other colours.
		const recoloured = Float32Array.from(image);
		for (let px = 0; px < plane; px++) {
			const shift = 0.5 + (px % 3) * 0.25;
			recoloured[px] += 0.587 * shift;
			recoloured[plane + px] -= 0.299 * shift;
		}
		const a = pictureInput(image, v);
		const b = pictureInput(recoloured, v);
		const area = v.patch_size ** 2;
		const tower = (input: Float32Array) => m.vision.forward(fromArray(splitPictures(input, v).luma, [patchCount(v), area]), m.llm.adapterStep).toArray();
		const ta = tower(a);
		const tb = tower(b);
		expect(Math.max(...ta.map((x, i) => Math.abs(x - tb[i])))).toBeLessThan(1e-4);
		const features = (data: Float32Array) => m.features('image', { data, count: 1, rows: new Int32Array(0) }).toArray();
		const fa = features(a);
		const fb = features(b);
		expect(Math.max(...fa.map((x, i) => Math.abs(x - fb[i])))).toBeGreaterThan(1e-3);
	});

	it('patch embedding and audio subsampling match finite differences', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 2);
		const step = m.llm.adapterStep;
		const patches = fromArray(seededValues(2 * 16 * 16, 3), [2 * 16, 16]);
		expect(gradError(() => m.vision.embedPatches(patches, step), [m.vision.patchEmbed.weight!, m.vision.posEmbed])).toBeLessThan(2e-2);
		const mlp = new MultimodalModel({ ...TINY_MULTIMODAL, vision: { ...TINY_MULTIMODAL.vision, patch_hidden_size: 12 } }, 2);
		const hidden = mlp.vision.patchHidden;
		expect(hidden?.weight?.shape).toEqual([12, 16]);
		expect(gradError(() => mlp.vision.embedPatches(patches, mlp.llm.adapterStep), [hidden!.weight!, mlp.vision.patchEmbed.weight!])).toBeLessThan(2e-2);
		const frames = fromArray(seededValues(m.inputSize('audio'), 4), [4, 24]);
		expect(gradError(() => m.audio.embedFrames(frames, step), [m.audio.subsample.weight!, m.audio.posEmbed])).toBeLessThan(2e-2);
	});

	it('expands placeholders and splices each feature row at its expanded position', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 3);
		const na = m.featureTokens('audio');
		const ni = m.featureTokens('image');
		const e = expandPlaceholders([1, AUDIO_ID, 65, IMAGE_ID, 66], [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 66], [{ kind: 'audio', tokenIndex: 1, mediaIndex: 0 }, { kind: 'image', tokenIndex: 3, mediaIndex: 0 }], (k) => (k === 'audio' ? na : ni));
		expect(e.starts).toEqual([1, 2 + na]);
		expect(e.inputIds.length).toBe(5 + na - 1 + ni - 1);
		expect(e.labels[e.labels.length - 1]).toBe(66);
		const sample: MultimodalSample = {
			inputIds: e.inputIds,
			labels: e.labels,
			media: [
				{ kind: 'audio', start: e.starts[0], length: na, data: seededValues(m.inputSize('audio'), 5) },
				{ kind: 'image', start: e.starts[1], length: ni, data: seededValues(m.inputSize('image'), 6) }
			]
		};
		const batch = collateMultimodal([imageSample(m, 7), sample]);
		const T = batch.seqLength;
		const C = m.config.llm.hidden_size;
		const sources = m.mediaFeatures(batch);
		const x = m.embed(batch, sources).toArray();
		const image = sources[0].features.toArray();
		// Row 1's image features sit at 1 * T + start + j; its audio features at 1 * T + 1 + j.
		for (let j = 0; j < ni; j++) expect(Array.from(x.subarray((T + e.starts[1] + j) * C, (T + e.starts[1] + j + 1) * C))).toEqual(Array.from(image.subarray((ni + j) * C, (ni + j + 1) * C)));
		const audio = sources[1].features.toArray();
		for (let j = 0; j < na; j++) expect(Array.from(x.subarray((T + 1 + j) * C, (T + 2 + j) * C))).toEqual(Array.from(audio.subarray(j * C, (j + 1) * C)));
		// Text positions keep their token embeddings.
		const table = m.llm.embedTokens.toArray();
		expect(Array.from(x.subarray((T + 1 + na) * C, (T + 2 + na) * C))).toEqual(Array.from(table.subarray(65 * C, 66 * C)));
	});

	it('LoRA on all-linear with freeze_vit adapts the decoder and trains the aligner whole, not the towers', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 5);
		const tuned = applyTuner(m.llm, { tuner_type: 'lora', lora_rank: 2, freeze_vit: true });
		const names = tuned.adapted.map((p) => p.name);
		expect(names.some((n) => n.startsWith('model.layers.'))).toBe(true);
		expect(names.some((n) => n.startsWith('visual.') || n.startsWith('audio_tower.') || n.startsWith('multi_modal_projector.'))).toBe(false);
		expect(tuned.modulesToSave).toEqual(['multi_modal_projector']);
		const whole = tuned.trainable.filter(([n]) => !n.includes('.lora_')).map(([n]) => n);
		expect(whole.length).toBe(7);
		expect(whole.every((n) => n.startsWith('base_model.model.multi_modal_projector.'))).toBe(true);
	});
});
