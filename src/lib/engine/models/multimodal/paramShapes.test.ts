import { describe, expect, it } from 'vitest';
import { DEMO_VLM } from './preset';
import { MultimodalModel } from './model';
import { multimodalParamSpecs } from './paramShapes';
import { TINY_MULTIMODAL } from './testModel';

describe('multimodal parameter specs', () => {
	for (const [label, config] of [['tiny', TINY_MULTIMODAL], ['demo-vlm', DEMO_VLM.config]] as const) {
		it(`${label}: the pure list equals the built model's tensors, tags and projections`, () => {
			const m = new MultimodalModel(config, 1);
			const specs = multimodalParamSpecs(m.config);
			const built = [...m.llm.params].map(([name, t]) => ({ name, shape: [...t.shape], tag: m.llm.tags.get(name), projection: m.llm.projections.some((p) => p.weightName === name) }));
			const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
			expect([...specs].sort(byName)).toEqual(built.sort(byName));
			m.llm.dispose();
		});
	}
});
