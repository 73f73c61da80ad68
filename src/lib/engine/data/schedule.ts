/**
 * Learning-rate schedules with the semantics of HF `get_scheduler`, which ms-swift uses
 * (`--lr_scheduler_type`, `--warmup_ratio`, `--warmup_steps`):
 *
 * - `step` counts optimizer updates already done: learningRateAt(0) is the rate of the first update,
 *   and after N updates the value HF logs as `learning_rate` is learningRateAt(N).
 * - Warmup rises linearly from 0: rate = base * step / warmupSteps for step < warmupSteps.
 * - warmupSteps wins when > 0, otherwise warmupSteps = ceil(totalSteps * warmupRatio).
 * - 'constant' ignores warmup entirely, as in HF; use 'constant_with_warmup' to warm up.
 */

export const LR_SCHEDULER_TYPES = [
	'constant',
	'constant_with_warmup',
	'linear',
	'cosine',
	'cosine_with_min_lr'
] as const;

export type LrSchedulerType = (typeof LR_SCHEDULER_TYPES)[number];

export interface LrScheduleConfig {
	type: LrSchedulerType;
	learningRate: number;
	/** Optimizer updates in the whole run (max_steps, or epochs * updates per epoch). */
	totalSteps: number;
	warmupSteps?: number;
	warmupRatio?: number;
	/** Cosine only: waves over the decay; 0.5 (HF default) is one half wave from base to the floor. */
	numCycles?: number;
	/** cosine_with_min_lr only: the floor, as an absolute rate or as a fraction of learningRate. */
	minLr?: number;
	minLrRate?: number;
}

export function resolveWarmupSteps(config: Pick<LrScheduleConfig, 'totalSteps' | 'warmupSteps' | 'warmupRatio'>): number {
	if (config.warmupSteps !== undefined && config.warmupSteps > 0) return config.warmupSteps;
	return Math.ceil(config.totalSteps * (config.warmupRatio ?? 0));
}

function assertConfig(config: LrScheduleConfig): void {
	if (!LR_SCHEDULER_TYPES.includes(config.type)) {
		throw new RangeError(`unknown lr_scheduler_type "${config.type}" (one of ${LR_SCHEDULER_TYPES.join(', ')})`);
	}
	if (!Number.isInteger(config.totalSteps) || config.totalSteps < 0) {
		throw new RangeError(`totalSteps must be a non-negative integer, got ${config.totalSteps}`);
	}
	const ratio = config.warmupRatio ?? 0;
	if (ratio < 0 || ratio > 1) throw new RangeError(`warmupRatio must be within [0, 1], got ${ratio}`);
	if (config.type === 'cosine_with_min_lr' && config.minLr === undefined && config.minLrRate === undefined) {
		throw new RangeError('cosine_with_min_lr needs minLr or minLrRate');
	}
}

/** The factor on the base rate after `step` updates. */
export function lrMultiplier(step: number, config: LrScheduleConfig): number {
	assertConfig(config);
	if (config.type === 'constant') return 1;
	const warmup = resolveWarmupSteps(config);
	if (step < warmup) return step / Math.max(1, warmup);
	if (config.type === 'constant_with_warmup') return 1;
	const decaySteps = Math.max(1, config.totalSteps - warmup);
	if (config.type === 'linear') return Math.max(0, (config.totalSteps - step) / decaySteps);
	const progress = (step - warmup) / decaySteps;
	const wave = 0.5 * (1 + Math.cos(Math.PI * (config.numCycles ?? 0.5) * 2 * progress));
	if (config.type === 'cosine') return Math.max(0, wave);
	const floor = config.minLrRate ?? (config.minLr as number) / config.learningRate;
	return wave * (1 - floor) + floor;
}

export function learningRateAt(step: number, config: LrScheduleConfig): number {
	return config.learningRate * lrMultiplier(step, config);
}
