import { DEMO_VLM_PRESET as DEMO_VLM } from '../models/presets';
import type { RunConfigInput } from './runConfig';

/** Starting points on the Train page; each fills the form, which the user can still change. */
export const runPresets = {
	'demo-vlm': {
		label: 'Demo VLM (images, audio, video)',
		config: {
			model: 'demo-vlm',
			dataset: 'demo',
			val_dataset: 'demo-val',
			// The engine's demo-vlm preset: from scratch every tower learns, so nothing is frozen.
			tuner_type: 'full',
			learning_rate: DEMO_VLM.learning_rate,
			num_train_epochs: DEMO_VLM.num_train_epochs,
			per_device_train_batch_size: DEMO_VLM.per_device_train_batch_size,
			max_length: DEMO_VLM.max_length,
			warmup_ratio: DEMO_VLM.warmup_ratio,
			weight_decay: DEMO_VLM.weight_decay,
			freeze_vit: false,
			freeze_aligner: false,
			logging_steps: 5,
			eval_steps: 200,
			save_steps: 500
		}
	},
	'text-sft': {
		label: 'Text SFT (LoRA)',
		config: { model: 'micro', tuner_type: 'lora', lora_rank: 8, lora_alpha: 32, learning_rate: 1e-4, max_length: 512, num_train_epochs: 1 }
	},
	dpo: {
		label: 'Preference tuning (DPO)',
		config: { model: 'nano', rlhf_type: 'dpo', beta: 0.1, tuner_type: 'lora', learning_rate: 5e-5, max_length: 256 }
	}
} as const satisfies Record<string, { label: string; config: Partial<RunConfigInput> }>;

export type RunPresetName = keyof typeof runPresets;
