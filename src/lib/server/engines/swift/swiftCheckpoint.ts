import fs from 'node:fs';
import path from 'node:path';
import type { Modality, SavedModelDescription } from '../../../shared/models';

/**
 * What the registry can tell about a checkpoint ms-swift wrote, read from its JSON files alone (the
 * weights are PyTorch's business): a PEFT adapter (`adapter_config.json`) or a full Hugging Face model
 * (`config.json`). Parameter counts are not in those files and stay 0, meaning unknown.
 */
function readJson(file: string): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
		return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

/** Towers a Hugging Face config names; a model without any reads text only. */
function modalitiesOf(config: Record<string, unknown> | null): Modality[] {
	const modalities: Modality[] = ['text'];
	if (config && ('vision_config' in config || 'visual' in config)) modalities.push('image');
	if (config && 'audio_config' in config) modalities.push('audio');
	return modalities;
}

export function describeSwiftCheckpoint(dir: string): SavedModelDescription {
	const adapter = readJson(path.join(dir, 'adapter_config.json'));
	if (adapter) {
		const peftType = typeof adapter.peft_type === 'string' ? adapter.peft_type.toLowerCase() : 'lora';
		const base = typeof adapter.base_model_name_or_path === 'string' ? adapter.base_model_name_or_path : null;
		return { architecture: 'transformers', format: 'adapter', modalities: ['text'], parameters: 0, trainableParameters: 0, baseModel: base, tunerType: adapter.use_dora ? 'dora' : peftType };
	}
	const config = readJson(path.join(dir, 'config.json'));
	if (!config) throw new Error(`${path.basename(dir)} has neither adapter_config.json nor config.json`);
	return { architecture: 'transformers', format: 'full', modalities: modalitiesOf(config), parameters: 0, trainableParameters: 0, baseModel: null, tunerType: 'full' };
}
