import { endpointIdOf } from '../../../shared/endpoints';
import type { SwiftEvalTarget } from '../../../shared/run/swiftToolJobs';
import { HttpError } from '../../http/httpError';
import type { ModelRegistry } from '../../models/modelRegistry';
import { serverRoot } from '../openai/endpointHttp';
import type { EndpointService } from '../openai/endpointService';

/** What a `swift eval` evaluates, and how its eval record names it. */
export interface SwiftEvalSubject {
	target: SwiftEvalTarget;
	modelId: string;
	modelName: string;
	runId: string | null;
	step: number | null;
}

/**
 * The model id of a `swift eval` request -> what ms-swift is pointed at: a saved model's folders from the
 * registry, or a registered endpoint (`endpoint:<id>`), whose URL and key are the server's configuration
 * (`--eval_url <root>/v1`, `--model` the model it serves, `--api_key`). Never a path or URL from the client.
 */
export function resolveSwiftEvalSubject(modelId: string, registry: ModelRegistry, endpoints: Pick<EndpointService, 'stored'>): SwiftEvalSubject {
	const endpointId = endpointIdOf(modelId);
	if (endpointId !== null) {
		const endpoint = endpoints.stored().find((e) => e.id === endpointId);
		if (!endpoint) throw new HttpError('invalid_request', `No endpoint "${endpointId}".`, { model: 'Unknown endpoint' });
		return {
			target: { kind: 'endpoint', url: `${serverRoot(endpoint.baseUrl)}/v1`, servedModel: endpoint.model, apiKey: endpoint.apiKey },
			modelId,
			modelName: `${endpoint.name} (${endpoint.model})`,
			runId: null,
			step: null
		};
	}
	const resolved = registry.resolve(modelId);
	const saved = resolved?.kind === 'saved' ? registry.commandModel(resolved.model.id) : null;
	if (resolved?.kind !== 'saved' || !saved) {
		throw new HttpError('invalid_request', `No saved model "${modelId}"; ms-swift evaluates a checkpoint, an export, a merged or an imported model, or a registered endpoint.`, { model: 'Choose a saved model' });
	}
	return { target: { kind: 'model', model: saved }, modelId: resolved.model.id, modelName: resolved.model.name, runId: resolved.model.runId, step: resolved.model.step };
}
