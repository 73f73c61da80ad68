import { describe, expect, it } from 'vitest';
import { MultimodalModel } from '../../engine/models/multimodal/model';
import { DEMO_VLM } from '../../engine/models/multimodal/preset';
import { builtinModelPresets } from './modelPresets';

describe('built-in model presets', () => {
	it("the demo-vlm tower estimate is within 5% of the model's own tower and aligner parameters", () => {
		const model = new MultimodalModel(DEMO_VLM.config, 1);
		let actual = 0;
		for (const [name, t] of model.llm.params) if (model.llm.tags.get(name) !== 'llm') actual += t.size;
		const estimate = builtinModelPresets['demo-vlm'].towerParams ?? 0;
		expect(Math.abs(estimate - actual) / actual).toBeLessThan(0.05);
	});
});
