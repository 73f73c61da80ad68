// The console's field table names which trainer option each run field feeds; the engine names its
// options as ms-swift's flags. These checks hold the two to the same names and types.
import { describe, expect, it } from 'vitest';
import { runConfigSchema } from '../../shared/run/runConfig';
import { trainerInputsOf } from '../../shared/run/trainerInputs';
import { resolveTunerConfig, type TunerConfig } from '../tuners/config';
import { resolveArguments, type LossConfig, type TrainingArguments } from './config';

describe("the field table's trainer sections", () => {
	it('name only options the engine has, and the engine accepts their values', () => {
		const inputs = trainerInputsOf(runConfigSchema.parse({ name: 'n', model: 'nano', dataset: 'd', rlhf_type: 'dpo', quant_bits: 4 }));
		// Typed as the engine's options: a value of a type the engine does not take would not compile here;
		const tuner: TunerConfig = inputs.tuner;
		const args: TrainingArguments = inputs.args;
		const loss: LossConfig | undefined = inputs.loss;
		// a name the engine does not know fails these.
		expect(Object.keys(resolveTunerConfig(tuner))).toEqual(expect.arrayContaining(Object.keys(tuner)));
		expect(Object.keys(resolveArguments(args, tuner.tuner_type))).toEqual(expect.arrayContaining(Object.keys(args)));
		expect(loss).toEqual({ rlhf_type: 'dpo', beta: 0.1 });
	});
});
