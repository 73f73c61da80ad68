// The `demo-vlm` preset: model sizes and training settings with which the synthetic demo set
// (`npm run demo:data`) trains from scratch on two CPU cores in a few minutes. The numbers live in
// shared (DEMO_VLM_PRESET), where the console's Train page reads the same ones.

import { DEMO_VLM_PRESET } from '../../../shared/models/presets';
import type { TrainingArguments } from '../../train/config';
import type { TunerConfig } from '../../tuners/config';
import type { MultimodalConfigInput } from './config';

/** A model and the Trainer arguments (ms-swift's names) it trains with. */
export interface MultimodalPreset extends TrainingArguments {
	model: string;
	config: MultimodalConfigInput;
	tuner: TunerConfig;
	/** Longest expanded row (text plus feature positions); longer rows are skipped. */
	max_length: number;
	learning_rate: number;
	num_train_epochs: number;
	per_device_train_batch_size: number;
	seed: number;
}

export const DEMO_VLM: MultimodalPreset = DEMO_VLM_PRESET;
