import type { ServedModel } from './backend';

/**
 * `GET /api/v1/models` in OpenAI's list shape: the models that can answer now. `owned_by` is SwiftBoard; the extra fields (name,
 * kind, modalities) are what a client needs to pick a model that takes its media.
 */
export function modelList(models: readonly ServedModel[], created: number) {
	return {
		object: 'list' as const,
		data: models.filter((m) => m.servable !== false).map((m) => ({ id: m.id, object: 'model' as const, created, owned_by: 'swiftboard', name: m.name, kind: m.kind, modalities: m.modalities }))
	};
}
