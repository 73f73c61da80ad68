// The console's estimate reads the shared preset numbers; these checks hold them to the models the
// engine actually builds (engine -> shared is the allowed direction, so the comparison lives here).
import { describe, expect, it } from 'vitest';
import { BUILTIN_VOCAB_SIZE } from '../../shared/models/presets';
import { estimateRun } from '../../shared/run/estimate';
import { builtinModelPresets } from '../../shared/run/modelPresets';
import { runConfigSchema } from '../../shared/run/runConfig';
import { VOCAB_SIZE } from '../tokenizer/specialTokens';
import { LLAMA_PRESETS, llamaParamCount } from './llama/config';
import { MultimodalModel } from './multimodal/model';
import { DEMO_VLM } from './multimodal/preset';

describe('built-in model presets', () => {
	it("the demo-vlm tower estimate is within 5% of the model's own tower and aligner parameters", () => {
		const model = new MultimodalModel(DEMO_VLM.config, 1);
		let actual = 0;
		for (const [name, t] of model.llm.params) if (model.llm.tags.get(name) !== 'llm') actual += t.size;
		const estimate = builtinModelPresets['demo-vlm'].towerParams ?? 0;
		expect(Math.abs(estimate - actual) / actual).toBeLessThan(0.05);
	});

	it('the estimate counts exactly the parameters the engine builds', () => {
		const full = estimateRun(runConfigSchema.parse({ name: 'demo', model: 'nano', dataset: 'ds1', tuner_type: 'full' }));
		expect(full?.totalParams).toBe(llamaParamCount(LLAMA_PRESETS.nano));
	});

	it("the shared vocabulary size is the byte tokenizer's", () => {
		expect(BUILTIN_VOCAB_SIZE).toBe(VOCAB_SIZE);
	});
});
