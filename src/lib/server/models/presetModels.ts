import type { ModelSummary } from '../../shared/models';
import { estimateRun } from '../../shared/run/estimate';
import { builtinModelPresetNames, type BuiltinModelPreset } from '../../shared/run/modelPresets';
import { defaultRunConfig } from '../../shared/run/runConfig';

const multimodal: readonly string[] = ['demo-vlm'];

/** The built-in presets as registry entries: definitions the engine builds from a seed, not files. */
export function presetModels(): ModelSummary[] {
	return builtinModelPresetNames.map((name: BuiltinModelPreset) => {
		const estimate = estimateRun({ ...defaultRunConfig, model: name, tuner_type: 'full', freeze_vit: false, freeze_aligner: false });
		const isMultimodal = multimodal.includes(name);
		return {
			id: name,
			name,
			kind: 'preset',
			architecture: isMultimodal ? 'multimodal' : 'llama',
			engine: 'builtin',
			format: 'full',
			modalities: isMultimodal ? ['text', 'image', 'audio', 'video'] : ['text'],
			parameters: estimate?.totalParams ?? 0,
			trainableParameters: estimate?.totalParams ?? 0,
			sizeBytes: 0,
			runId: null,
			step: null,
			baseModelId: null,
			tunerType: null,
			ownerId: null,
			ownerName: null,
			createdAt: 0,
			inUseBy: null
		};
	});
}

export function isPresetModel(id: string): boolean {
	return (builtinModelPresetNames as string[]).includes(id);
}
