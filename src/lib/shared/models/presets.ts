// The built-in engine's model presets as plain numbers, in HF `config.json` field names. The engine
// builds its models from these, and the Train page's estimate and presets read the same numbers, so
// what the page describes is what trains. Plain data only: no engine types, nothing to import.

/** Vocabulary of the engine's byte tokenizer: 256 bytes and 10 special tokens (checked against it by an engine test). */
export const BUILTIN_VOCAB_SIZE = 266;

const decoderBase = { rope_theta: 10000, rms_norm_eps: 1e-6, tie_word_embeddings: false } as const;

/** nano ~1M parameters, micro ~10M (with the byte tokenizer's vocabulary). */
export const BUILTIN_LLAMA_SIZES = {
	nano: { ...decoderBase, hidden_size: 128, intermediate_size: 384, num_hidden_layers: 5, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 512 },
	micro: { ...decoderBase, hidden_size: 384, intermediate_size: 1024, num_hidden_layers: 6, num_attention_heads: 6, num_key_value_heads: 2, max_position_embeddings: 1024 }
} as const;

const encoderBase = { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, layer_norm_eps: 1e-5 } as const;

/** The towers, frames and merge windows a multimodal model gets where its config says nothing. */
export const MULTIMODAL_DEFAULT_SIZES = {
	vision: { ...encoderBase, image_size: 64, patch_size: 8, patch_hidden_size: 0 },
	audio: { ...encoderBase, num_mel_bins: 80, max_frames: 160, frame_stack: 4 },
	video_frames: 4,
	merge: { image: 4, audio: 2, video: 4 }
} as const;

/**
 * The `demo-vlm` preset: sizes and training settings with which the synthetic demo set
 * (`npm run demo:data`) trains from scratch on two CPU cores in a few minutes.
 */
export const DEMO_VLM_PRESET = {
	model: 'demo-vlm',
	config: {
		// Every head has its own keys and values: with two pairs shared by four heads, reading a
		// picture's colour lost out to reading its form (colour 0.16 to 0.23 over three seeds).
		llm: { hidden_size: 128, intermediate_size: 256, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 4, max_position_embeddings: 256 },
		vision: { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, image_size: 64, patch_size: 8, patch_hidden_size: 256 },
		audio: { hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_mel_bins: 80, max_frames: 160, frame_stack: 4 },
		video_frames: 4,
		merge: { image: 4, audio: 2, video: 4 }
	},
	// From scratch every tower learns, so nothing is frozen (ms-swift's freeze_vit default is for pretrained towers).
	tuner: { tuner_type: 'full', freeze_llm: false, freeze_vit: false, freeze_aligner: false },
	// Higher rates or bigger batches let the decoder settle on text-only answers before the towers
	// have learned anything, after which it stops looking at the media.
	learning_rate: 1e-3,
	// The shape in a named quarter of a busy picture is the last thing learned: 0.84 after 5 epochs,
	// 0.98 after 6 (held-out, 225 questions).
	num_train_epochs: 6,
	per_device_train_batch_size: 8,
	/** Longest expanded row (text plus feature positions); longer rows are skipped. */
	max_length: 160,
	lr_scheduler_type: 'cosine',
	warmup_ratio: 0.05,
	weight_decay: 0.01,
	max_grad_norm: 1,
	logging_steps: 20,
	seed: 42
} as const;
