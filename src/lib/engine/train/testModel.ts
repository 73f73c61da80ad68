// Shared fixtures for the training tests: a tiny decoder and a scratch output directory.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlamaConfig } from '../models/llama/config';

export const TINY: Partial<LlamaConfig> = {
	hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 128
};

export function scratchDir(): string {
	return mkdtempSync(join(tmpdir(), 'swiftboard-train-'));
}
