import path from 'node:path';
import { llamaParamShapes, resolveLlamaConfig } from '../../src/lib/engine/models/llama/config';
import { LlamaModel } from '../../src/lib/engine/models/llama/model';
import { loadModelWeights, saveModel } from '../../src/lib/engine/models/modelFiles';

/**
 * A decoder whose greedy answer is a fixed table of next tokens, saved in the engine's layout
 * (config.json and model.safetensors). Attention and MLP write nothing (o_proj and down_proj are
 * zero), so each position's hidden state is its own token's embedding: a one-hot, one dimension per
 * token in `next` and dimension 0 for every other token. lm_head maps each dimension to its next
 * token; any other token is followed by `fallback`. A test can so name exactly where an answer
 * meets an end-of-turn token. Returns the two files.
 */
export async function saveScriptedModel(dir: string, next: [from: number, to: number][], fallback: number): Promise<string[]> {
	const config = resolveLlamaConfig({ hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 2, tie_word_embeddings: false });
	const C = config.hidden_size;
	if (next.length >= C) throw new Error(`at most ${C - 1} scripted tokens`);
	const dimOf = new Map(next.map(([from], i) => [from, i + 1]));
	const weights = new Map(llamaParamShapes(config).map(([name, shape]) => [name, new Float32Array(shape.reduce((a, b) => a * b, 1))]));
	for (const [name, values] of weights) if (name.endsWith('norm.weight')) values.fill(1);
	const embed = weights.get('model.embed_tokens.weight')!;
	for (let token = 0; token < config.vocab_size; token++) embed[token * C + (dimOf.get(token) ?? 0)] = 1;
	// After the final RMSNorm the one-hot is sqrt(C) in its dimension; its next token's logit is 10 sqrt(C), every other 0.
	const head = weights.get('lm_head.weight')!;
	head[fallback * C] = 10;
	for (const [from, to] of next) head[to * C + dimOf.get(from)!] = 10;
	const model = new LlamaModel(config, 1);
	try {
		loadModelWeights(model, (name) => weights.get(name));
		await saveModel(dir, model);
	} finally {
		model.dispose();
	}
	return ['config.json', 'model.safetensors'].map((name) => path.join(dir, name));
}
