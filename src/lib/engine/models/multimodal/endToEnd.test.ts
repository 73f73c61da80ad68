import { describe, expect, it } from 'vitest';
import { backward, beginStep } from '../../autograd/tape';
import { relError } from '../../kernels/reference/compare';
import { sftLoss } from '../../losses/sft';
import { AUDIO_ID, IGNORE_INDEX, IMAGE_ID, VIDEO_ID } from '../../tokenizer/specialTokens';
import { gradError, seededValues } from '../../autograd/ops/gradCheck';
import { MultimodalModel } from './model';
import { collateMultimodal, expandPlaceholders, packMultimodal, type MultimodalSample } from './samples';
import { TINY_MULTIMODAL } from './testModel';

describe('multimodal end to end', () => {
	it('the SFT loss gradient reaches every tower and aligner exactly', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 9);
		const kinds = [['image', IMAGE_ID], ['audio', AUDIO_ID], ['video', VIDEO_ID]] as const;
		const samples: MultimodalSample[] = kinds.map(([kind, id], i) => {
			const e = expandPlaceholders([1, id, 70 + i, 80, 81], [IGNORE_INDEX, IGNORE_INDEX, IGNORE_INDEX, 80, 81], [{ kind, tokenIndex: 1, mediaIndex: 0 }], (k) => m.featureTokens(k));
			return { inputIds: e.inputIds, labels: e.labels, media: [{ kind, start: 1, length: m.featureTokens(kind), data: seededValues(m.inputSize(kind), 50 + i) }] };
		});
		const batch = collateMultimodal(samples);
		const p = (name: string) => m.llm.params.get(name)!;
		const names = ['visual.patch_embed.proj.weight', 'visual.blocks.0.ls1.gamma', 'visual.norm.weight', 'visual.blocks.0.attn.qkv.weight', 'visual.temporal_embed', 'audio_tower.layers.0.mlp.fc2.weight', 'multi_modal_projector.video.linear_2.weight', 'multi_modal_projector.audio.linear_2.weight', 'multi_modal_projector.image.colour.weight', 'multi_modal_projector.video.colour.weight'];
		expect(gradError(() => sftLoss(m.forward(batch), batch.labels).loss, names.map(p), 12, 3e-3)).toBeLessThan(3e-2);
	});

	it('logits at the trained positions only give the same loss and gradients as logits everywhere', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 10);
		const samples: MultimodalSample[] = [3, 5].map((extra, i) => {
			const ids = [1, IMAGE_ID, ...Array.from({ length: extra }, (_, j) => 70 + j), 80, 81];
			const labels = ids.map((id, j) => (j >= ids.length - 2 ? id : IGNORE_INDEX));
			const e = expandPlaceholders(ids, labels, [{ kind: 'image', tokenIndex: 1, mediaIndex: 0 }], (k) => m.featureTokens(k));
			return { inputIds: e.inputIds, labels: e.labels, media: [{ kind: 'image', start: 1, length: m.featureTokens('image'), data: seededValues(m.inputSize('image'), 60 + i) }] };
		});
		const batch = collateMultimodal(samples);
		const weights = ['lm_head.weight', 'model.layers.0.self_attn.q_proj.weight', 'visual.patch_embed.proj.weight'].map((n) => m.llm.params.get(n)!);
		const run = (loss: () => ReturnType<typeof sftLoss>) => {
			beginStep();
			for (const w of weights) w.grad?.fill(0);
			const r = loss();
			backward(r.loss);
			return { loss: r.loss.item(), tokens: r.tokens, grads: weights.map((w) => w.grad!.toArray()) };
		};
		const full = run(() => sftLoss(m.forward(batch), batch.labels));
		let rows = 0;
		const sparse = run(() => {
			const trained = m.trainedLogits(batch, batch.labels);
			rows = trained.logits.shape[0];
			return sftLoss(trained.logits, trained.labels);
		});
		expect(rows).toBe(batch.trainedTokens);
		expect(sparse.tokens).toBe(full.tokens);
		expect(sparse.loss).toBeCloseTo(full.loss, 5);
		full.grads.forEach((g, i) => expect(relError(sparse.grads[i], Float64Array.from(g))).toBeLessThan(1e-4));
	});

	it('a packed batch gives the same loss and gradients as the padded one', () => {
		const m = new MultimodalModel(TINY_MULTIMODAL, 11);
		const kinds = [['video', VIDEO_ID], ['image', IMAGE_ID], ['audio', AUDIO_ID], ['image', IMAGE_ID]] as const;
		// Rows of different lengths, so the padded batch pads all but the longest.
		const samples: MultimodalSample[] = kinds.map(([kind, id], i) => {
			const ids = [1, id, ...Array.from({ length: 2 * i + 1 }, (_, j) => 70 + j), 80, 81];
			const labels = ids.map((token, j) => (j >= ids.length - 2 ? token : IGNORE_INDEX));
			const e = expandPlaceholders(ids, labels, [{ kind, tokenIndex: 1, mediaIndex: 0 }], (k) => m.featureTokens(k));
			return { inputIds: e.inputIds, labels: e.labels, media: [{ kind, start: 1, length: m.featureTokens(kind), data: seededValues(m.inputSize(kind), 70 + i) }] };
		});
		const padded = collateMultimodal(samples);
		const packed = packMultimodal(samples);
		expect(packed.seqLength).toBe(samples.reduce((n, s) => n + s.inputIds.length, 0));
		expect(packed.trainedTokens).toBe(padded.trainedTokens);
		const weights = ['lm_head.weight', 'model.layers.0.self_attn.k_proj.weight', 'visual.blocks.0.attn.qkv.weight', 'multi_modal_projector.video.linear_2.weight', 'audio_tower.layers.0.mlp.fc2.weight'].map((n) => m.llm.params.get(n)!);
		const run = (batch: typeof padded) => {
			beginStep();
			for (const w of weights) w.grad?.fill(0);
			const trained = m.trainedLogits(batch, batch.labels);
			const r = sftLoss(trained.logits, trained.labels);
			backward(r.loss);
			return { loss: r.loss.item(), grads: weights.map((w) => w.grad!.toArray()) };
		};
		const a = run(padded);
		const b = run(packed);
		expect(b.loss).toBeCloseTo(a.loss, 5);
		a.grads.forEach((g, i) => expect(relError(b.grads[i], Float64Array.from(g))).toBeLessThan(1e-4));
	});
});
