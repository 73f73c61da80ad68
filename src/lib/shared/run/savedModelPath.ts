import type { ModelSummary } from '../models';
import type { CommandPaths } from './swiftCommand';

/**
 * Where a saved model sits under SWIFTBOARD_DATA_DIR, told from public facts only (the server never
 * sends paths): a run's checkpoint in `runs/<run>/checkpoint-<step>`, merged and imported models in
 * `models/<id>`. The command preview uses it, like the dataset paths, so the command runs on the same files.
 */
export function modelDataPath(model: ModelSummary): string | null {
	if (model.kind === 'preset') return null;
	if (model.kind === 'checkpoint' && model.runId && model.step !== null) return `runs/${model.runId}/checkpoint-${model.step}`;
	return `models/${model.id}`;
}

/** The `savedModel` part of the command paths for a run whose `model` is `id`, or null for a preset or hub id. */
export function savedModelCommandPath(id: string, models: readonly ModelSummary[]): CommandPaths['savedModel'] {
	const model = models.find((m) => m.id === id);
	const path = model ? modelDataPath(model) : null;
	if (!model || !path) return null;
	const base = model.baseModelId ? models.find((m) => m.id === model.baseModelId) : undefined;
	return { path, format: model.format, basePath: base ? (modelDataPath(base) ?? base.id) : model.baseModelId };
}
