// A multimodal model small enough for unit tests: 16x16 images in 4x4 patches, 16-frame audio.

import type { MultimodalConfigInput } from './config';

const ENCODER = { hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2 };

export const TINY_MULTIMODAL: MultimodalConfigInput = {
	llm: { hidden_size: 16, intermediate_size: 32, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1, max_position_embeddings: 64 },
	vision: { ...ENCODER, image_size: 16, patch_size: 4 },
	audio: { ...ENCODER, num_mel_bins: 6, max_frames: 16, frame_stack: 4 },
	video_frames: 2,
	merge: { image: 4, audio: 2, video: 4 }
};
