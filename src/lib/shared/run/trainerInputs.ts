import type { RunConfig } from './runConfig';
import { isBuiltinRlhfType } from './runEngine';
import { runFieldKeys, runFields, type builtinRlhfTypes, type FieldFeeds, type FieldsFeeding } from './runFields';

/** A section of the trainer's options: the fields that feed it, with null (unset) as absent. */
export type TrainerSection<F extends FieldFeeds> = {
	[K in FieldsFeeding<F>]: null extends RunConfig[K] ? Exclude<RunConfig[K], null> | undefined : RunConfig[K];
};

export interface TrainerInputs {
	model: string;
	tuner: TrainerSection<'tuner'>;
	args: TrainerSection<'args'>;
	/** Preference training only; supervised fine-tuning has no loss options. */
	loss?: { rlhf_type: (typeof builtinRlhfTypes)[number]; beta: number };
}

function section<F extends FieldFeeds>(config: RunConfig, feeds: F): TrainerSection<F> {
	const out: Record<string, unknown> = {};
	for (const key of runFieldKeys) if (runFields[key].feeds === feeds) out[key] = config[key] ?? undefined;
	return out as TrainerSection<F>;
}

/**
 * What the built-in engine's trainer is given for a run: each field goes to the section the field
 * table says it feeds (the engine names its options as ms-swift's flags, so names carry over as they are).
 */
export function trainerInputsOf(config: RunConfig): TrainerInputs {
	const loss = section(config, 'loss');
	// The schema refuses other losses for built-in runs; this keeps a hand-built config from reaching the engine.
	if (loss.rlhf_type !== 'none' && !isBuiltinRlhfType(loss.rlhf_type)) throw new Error(`The built-in engine cannot train rlhf_type ${loss.rlhf_type}`);
	return {
		model: config.model,
		tuner: section(config, 'tuner'),
		args: section(config, 'args'),
		...(loss.rlhf_type === 'none' || !isBuiltinRlhfType(loss.rlhf_type) ? {} : { loss: { ...loss, rlhf_type: loss.rlhf_type } })
	};
}
