// What `trainer_state.json` holds: enough, with the weights and optimizer moments, to continue a
// run exactly where it stopped (data position, RNG words, step counts, elapsed time, the log).

import type { RandomState } from '../data/seededRandom';

/** One logging entry; see Trainer for the keys. */
export type TrainLog = Record<string, number | string>;

export interface TrainerState {
	global_step: number;
	max_steps: number;
	/** Fractional epoch, as HF logs it. */
	epoch: number;
	/** The next micro-batch to read: epoch index and micro-batch index within it. */
	cursor: { epoch: number; micro: number };
	/** Stream of dropout seeds. */
	rng: RandomState;
	optimizer_step: number;
	elapsed_ms: number;
	log_history: TrainLog[];
	last_model_checkpoint: string | null;
}

export const TRAINER_STATE_FILE = 'trainer_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const ARGS_FILE = 'args.json';
