import type { SessionUser } from '../../../shared/auth';
import { endpointChangeSchema, endpointDiscoverSchema, endpointInputSchema, type EndpointHealth, type EndpointInfo } from '../../../shared/endpoints';
import type { EndpointsRepository, StoredEndpoint } from '../../db/endpoints';
import { newId } from '../../db/ids';
import { HttpError } from '../../http/httpError';
import { checkHealth, discoverModels, type DiscoveredModel } from './discovery';
import type { EndpointTarget, EndpointTimeouts } from './endpointHttp';

/** How long a health result stands before a page asks again. */
const HEALTH_FRESH_MS = 10_000;
/** Health probes and discovery answer fast or not at all. */
const PROBE_TIMEOUT_MS = 5_000;

/**
 * The registered endpoints: an admin adds, edits and removes them; everyone who may chat sees them with
 * their health. The API key never leaves this service except in the requests to its own server, and
 * the base URL is shown to admins only.
 */
export class EndpointService {
	private readonly health = new Map<string, EndpointHealth>();
	private readonly probing = new Map<string, Promise<EndpointHealth>>();

	constructor(
		private readonly repository: EndpointsRepository,
		readonly timeouts: EndpointTimeouts
	) {}

	private info(endpoint: StoredEndpoint, user: SessionUser): EndpointInfo {
		return {
			id: endpoint.id,
			name: endpoint.name,
			baseUrl: user.role === 'admin' ? endpoint.baseUrl : null,
			model: endpoint.model,
			modalities: endpoint.modalities,
			mediaStyle: endpoint.mediaStyle,
			hasApiKey: endpoint.apiKey !== null,
			createdAt: endpoint.createdAt,
			updatedAt: endpoint.updatedAt,
			health: this.health.get(endpoint.id) ?? null
		};
	}

	/** Every endpoint, with its last health (see `refreshHealth`). */
	list(user: SessionUser): EndpointInfo[] {
		return this.repository.list().map((e) => this.info(e, user));
	}

	/** The stored records, for the engine that sends requests: server-side only. */
	stored(): StoredEndpoint[] {
		return this.repository.list();
	}

	require(id: string): StoredEndpoint {
		const endpoint = this.repository.get(id);
		if (!endpoint) throw new HttpError('not_found', `No endpoint "${id}".`);
		return endpoint;
	}

	describe(id: string, user: SessionUser): EndpointInfo {
		return this.info(this.require(id), user);
	}

	create(body: unknown, user: SessionUser): EndpointInfo {
		const parsed = endpointInputSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error, 'endpoint');
		const input = parsed.data;
		const now = Date.now();
		const endpoint: StoredEndpoint = {
			id: newId(),
			name: input.name,
			baseUrl: input.baseUrl,
			apiKey: input.apiKey || null,
			model: input.model,
			modalities: input.modalities,
			mediaStyle: input.mediaStyle,
			createdBy: user.id,
			createdAt: now,
			updatedAt: now
		};
		this.repository.save(endpoint);
		return this.info(endpoint, user);
	}

	update(id: string, body: unknown, user: SessionUser): EndpointInfo {
		const parsed = endpointChangeSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error, 'endpoint');
		const change = parsed.data;
		const current = this.require(id);
		const next: StoredEndpoint = {
			...current,
			name: change.name ?? current.name,
			baseUrl: change.baseUrl ?? current.baseUrl,
			// Left out: keep the stored key; '' clears it.
			apiKey: change.apiKey === undefined ? current.apiKey : change.apiKey || null,
			model: change.model ?? current.model,
			modalities: change.modalities ?? current.modalities,
			mediaStyle: change.mediaStyle ?? current.mediaStyle,
			updatedAt: Date.now()
		};
		this.repository.save(next);
		if (next.baseUrl !== current.baseUrl || next.apiKey !== current.apiKey) this.health.delete(id);
		return this.info(next, user);
	}

	/** Marks an endpoint as served by a swift deploy job, or by a server an admin runs (null). */
	servedByDeploy(id: string, jobId: string | null): void {
		this.repository.setDeployJob(id, jobId);
	}

	/** The endpoints swift deploy jobs registered. */
	deployed(): { id: string; jobId: string }[] {
		return this.repository.deployed();
	}

	delete(id: string): void {
		this.require(id);
		this.repository.delete(id);
		this.health.delete(id);
	}

	target(endpoint: StoredEndpoint): EndpointTarget {
		return { name: endpoint.name, baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey };
	}

	/** The models a server lists, before registering it (an admin's URL and key) or for a registered one. */
	async discover(body: unknown): Promise<DiscoveredModel[]> {
		const parsed = endpointDiscoverSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error, 'discovery request');
		const { baseUrl, apiKey, endpointId } = parsed.data;
		const stored = endpointId ? this.require(endpointId) : null;
		const key = apiKey === undefined ? (stored?.apiKey ?? null) : apiKey || null;
		return discoverModels({ name: stored?.name ?? new URL(baseUrl).host, baseUrl, apiKey: key }, PROBE_TIMEOUT_MS);
	}

	async models(id: string): Promise<DiscoveredModel[]> {
		return discoverModels(this.target(this.require(id)), PROBE_TIMEOUT_MS);
	}

	/** Probes each endpoint whose health is older than a few seconds (one probe at a time per endpoint). */
	async refreshHealth(force = false): Promise<void> {
		await Promise.all(
			this.repository.list().map((endpoint) => {
				const known = this.health.get(endpoint.id);
				if (!force && known && Date.now() - known.checkedAt < HEALTH_FRESH_MS) return known;
				return this.probe(endpoint);
			})
		);
	}

	private probe(endpoint: StoredEndpoint): Promise<EndpointHealth> {
		let running = this.probing.get(endpoint.id);
		if (!running) {
			running = checkHealth(this.target(endpoint), Math.min(PROBE_TIMEOUT_MS, this.timeouts.responseTimeoutMs)).then((health) => {
				// An endpoint deleted or moved while it was probed keeps no stale answer.
				const now = this.repository.get(endpoint.id);
				if (now && now.baseUrl === endpoint.baseUrl && now.apiKey === endpoint.apiKey) this.health.set(endpoint.id, health);
				return health;
			});
			running.finally(() => this.probing.delete(endpoint.id)).catch(() => undefined);
			this.probing.set(endpoint.id, running);
		}
		return running;
	}

	/** Records what a real request found, so the Models page shows an endpoint down as soon as a chat does. */
	observed(id: string, ok: boolean, message: string | null): void {
		const known = this.health.get(id);
		if (ok && known?.ok) return;
		this.health.set(id, { ok, via: known?.via ?? null, latencyMs: ok ? (known?.latencyMs ?? null) : null, message, checkedAt: Date.now() });
	}
}
