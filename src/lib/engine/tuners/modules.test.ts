import { describe, expect, it } from 'vitest';
import { inModule } from './modules';

describe('inModule (PEFT module names in modules_to_save)', () => {
	it('matches a module by its full name or a suffix at a dot, and every tensor inside it', () => {
		expect(inModule('lm_head.weight', 'lm_head')).toBe(true);
		expect(inModule('model.embed_tokens.weight', 'embed_tokens')).toBe(true);
		expect(inModule('model.embed_tokens.weight', 'model.embed_tokens')).toBe(true);
		expect(inModule('multi_modal_projector.image.linear_1.weight', 'multi_modal_projector')).toBe(true);
	});

	it('does not match a tensor name, a partial word or a module elsewhere', () => {
		expect(inModule('lm_head.weight', 'weight')).toBe(false);
		expect(inModule('model.embed_tokens.weight', 'tokens')).toBe(false);
		expect(inModule('visual.patch_embed.proj.weight', 'embed_tokens')).toBe(false);
		expect(inModule('lm_head_extra.weight', 'lm_head')).toBe(false);
	});
});
