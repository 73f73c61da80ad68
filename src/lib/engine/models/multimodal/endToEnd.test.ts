import { describe, expect, it } from 'vitest';
import { sftLoss } from '../../losses/sft';
import { AUDIO_ID, IGNORE_INDEX, IMAGE_ID, VIDEO_ID } from '../../tokenizer/specialTokens';
import { gradError, seededValues } from './gradCheck';
import { MultimodalModel } from './model';
import { collateMultimodal, expandPlaceholders, type MultimodalSample } from './samples';
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
		const names = ['visual.patch_embed.proj.weight', 'visual.blocks.0.ls1.gamma', 'visual.norm.weight', 'visual.blocks.0.attn.qkv.weight', 'visual.temporal_embed', 'audio_tower.layers.0.mlp.fc2.weight', 'multi_modal_projector.video.linear_1.weight', 'multi_modal_projector.audio.linear_2.weight', 'multi_modal_projector.image.colour.weight', 'multi_modal_projector.video.colour.weight'];
		expect(gradError(() => sftLoss(m.forward(batch), batch.labels).loss, names.map(p), 12, 3e-3)).toBeLessThan(3e-2);
	});
});
