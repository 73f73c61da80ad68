import type { EndpointHealth } from '../../../shared/endpoints';
import { HttpError } from '../../http/httpError';
import { endpointFetch, UpstreamError, type EndpointTarget } from './endpointHttp';

/** A model a server lists on `/v1/models`. */
export interface DiscoveredModel {
	id: string;
	ownedBy: string | null;
	/** vLLM's context length, where given. */
	maxModelLen: number | null;
}

/** The models the server lists (`GET /v1/models`), for the admin to pick from. */
export async function discoverModels(target: EndpointTarget, timeoutMs: number): Promise<DiscoveredModel[]> {
	const { response } = await endpointFetch(target, '/v1/models', {}, { responseTimeoutMs: timeoutMs });
	let body: { data?: unknown };
	try {
		body = (await response.json()) as { data?: unknown };
	} catch {
		throw new HttpError('bad_gateway', `Endpoint "${target.name}" answered /v1/models with something that is not JSON; is this an OpenAI-compatible server?`);
	}
	if (!Array.isArray(body.data)) throw new HttpError('bad_gateway', `Endpoint "${target.name}" answered /v1/models without a "data" list; is this an OpenAI-compatible server?`);
	return body.data
		.filter((m): m is { id: string; owned_by?: unknown; max_model_len?: unknown } => typeof m === 'object' && m !== null && typeof (m as { id?: unknown }).id === 'string')
		.map((m) => ({ id: m.id, ownedBy: typeof m.owned_by === 'string' ? m.owned_by : null, maxModelLen: typeof m.max_model_len === 'number' ? m.max_model_len : null }));
}

/**
 * Is the server up: its `/health` where it has one (vLLM, SGLang, ms-swift), else `/v1/models` (a
 * server without `/health` answers it 404). Never throws: a down server is a health with its reason.
 */
export async function checkHealth(target: EndpointTarget, timeoutMs: number): Promise<EndpointHealth> {
	const started = performance.now();
	const down = (error: unknown, via: EndpointHealth['via']): EndpointHealth => ({
		ok: false,
		via,
		latencyMs: null,
		message: error instanceof Error ? error.message : String(error),
		checkedAt: Date.now()
	});
	const up = (via: EndpointHealth['via']): EndpointHealth => ({ ok: true, via, latencyMs: Math.round(performance.now() - started), message: null, checkedAt: Date.now() });
	try {
		const { response } = await endpointFetch(target, '/health', {}, { responseTimeoutMs: timeoutMs });
		await response.body?.cancel();
		return up('health');
	} catch (error) {
		const missing = error instanceof UpstreamError && (error.upstreamStatus === 404 || error.upstreamStatus === 405);
		if (!missing) return down(error, 'health');
	}
	try {
		await discoverModels(target, timeoutMs);
		return up('models');
	} catch (error) {
		return down(error, 'models');
	}
}
