import path from 'node:path';
import { resolveLlamaConfig } from '../../src/lib/engine/models/llama/config';
import { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { saveModel } from '../../src/lib/engine/models/modelFiles';

/**
 * An untrained text decoder with a long context, saved in the engine's layout (config.json and
 * model.safetensors) for a test to import. With `ignore_eos` it answers for thousands of tokens, many
 * seconds, so a test can stop it midway however the machine is loaded. Returns the two files.
 */
export async function saveLongContextModel(dir: string): Promise<string[]> {
	const config = resolveLlamaConfig({ hidden_size: 128, intermediate_size: 384, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 8192 });
	const model = new LlamaModel(config, 11);
	try {
		await saveModel(dir, model);
	} finally {
		model.dispose();
	}
	return ['config.json', 'model.safetensors'].map((name) => path.join(dir, name));
}
