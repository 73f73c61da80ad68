import { builtinModelPresets, type DecoderDims } from './modelPresets';
import type { RunConfig } from './runConfig';

export interface RunEstimate {
	totalParams: number;
	trainableParams: number;
	/** Bytes: weights (as stored), gradients and AdamW state of the trainable part, and activations. */
	memoryBytes: { weights: number; gradients: number; optimizer: number; activations: number; total: number };
}

interface Linear {
	name: string;
	inFeatures: number;
	outFeatures: number;
}

function layerLinears(d: DecoderDims): Linear[] {
	const headDim = d.hiddenSize / d.numHeads;
	const kv = d.numKvHeads * headDim;
	return [
		{ name: 'q_proj', inFeatures: d.hiddenSize, outFeatures: d.hiddenSize },
		{ name: 'k_proj', inFeatures: d.hiddenSize, outFeatures: kv },
		{ name: 'v_proj', inFeatures: d.hiddenSize, outFeatures: kv },
		{ name: 'o_proj', inFeatures: d.hiddenSize, outFeatures: d.hiddenSize },
		{ name: 'gate_proj', inFeatures: d.hiddenSize, outFeatures: d.intermediateSize },
		{ name: 'up_proj', inFeatures: d.hiddenSize, outFeatures: d.intermediateSize },
		{ name: 'down_proj', inFeatures: d.intermediateSize, outFeatures: d.hiddenSize }
	];
}

/** Parameter and memory estimate for a built-in preset, shown live on the Train page. */
export function estimateRun(config: RunConfig): RunEstimate | null {
	const dims = (builtinModelPresets as Record<string, DecoderDims>)[config.model];
	if (!dims) return null;
	const linears = layerLinears(dims);
	const linearParams = linears.reduce((sum, l) => sum + l.inFeatures * l.outFeatures, 0) * dims.numLayers;
	const norms = dims.hiddenSize * (2 * dims.numLayers + 1);
	const embeddings = dims.vocabSize * dims.hiddenSize * (dims.tieEmbeddings ? 1 : 2);
	const llmParams = linearParams + norms + embeddings;
	const totalBase = llmParams + dims.towerParams;

	let trainable: number;
	if (config.tuner_type === 'full') {
		trainable = (config.freeze_llm ? 0 : llmParams) + (config.freeze_vit ? 0 : dims.towerParams * 0.8) + (config.freeze_aligner ? 0 : dims.towerParams * 0.2);
	} else {
		const targets = config.target_modules === 'all-linear' ? linears : linears.filter((l) => (config.target_modules as string[]).includes(l.name));
		const perLayer = targets.reduce(
			(sum, l) => sum + config.lora_rank * (l.inFeatures + l.outFeatures) + (config.use_dora ? l.outFeatures : 0),
			0
		);
		// modules_to_save: each token table trained whole beside the adapters.
		const savedTables = config.modules_to_save.length * dims.vocabSize * dims.hiddenSize;
		trainable = perLayer * dims.numLayers + savedTables + (config.freeze_aligner ? 0 : dims.towerParams * 0.2);
	}
	trainable = Math.round(trainable);

	const bytesPerBaseWeight = config.quant_bits === 4 ? 0.5 + 4 / 64 : config.quant_bits === 8 ? 1 + 4 / 64 : 4;
	const frozenLinear = config.tuner_type === 'lora' ? linearParams : 0;
	const weights = Math.round(frozenLinear * bytesPerBaseWeight + (totalBase - frozenLinear) * 4 + (config.tuner_type === 'lora' ? trainable * 4 : 0));
	const gradients = trainable * 4;
	const optimizer = trainable * 8;
	// Saved activations per token per layer: roughly 16 hidden-sized vectors plus the MLP's 3 intermediate ones.
	const tokens = config.per_device_train_batch_size * config.max_length;
	const activations = tokens * dims.numLayers * (16 * dims.hiddenSize + 3 * dims.intermediateSize) * 4 + tokens * dims.vocabSize * 8;
	return {
		totalParams: totalBase + (config.tuner_type === 'lora' ? trainable : 0),
		trainableParams: trainable,
		memoryBytes: { weights, gradients, optimizer, activations, total: weights + gradients + optimizer + activations }
	};
}
