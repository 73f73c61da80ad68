import { expect } from 'vitest';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import type { ApiClient } from './api';
import { waitFor } from './waitFor';

/**
 * Creates a run through the API and waits until it has succeeded and the registry lists `checkpoints` of
 * its checkpoints; returns the run and those checkpoints, oldest step first.
 */
export async function trainedRun(client: ApiClient, config: Record<string, unknown>, checkpoints = 1): Promise<{ run: RunRecord; checkpoints: ModelSummary[] }> {
	const created = await client.json<{ run: RunRecord }>('POST', '/api/runs', config);
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const run = await waitFor(async () => (await client.json<{ run: RunRecord }>('GET', `/api/runs/${created.body.run.id}`)).body.run, (r) => !['queued', 'running'].includes(r.status));
	expect(run.status, run.error ?? '').toBe('succeeded');
	const models = await waitFor(
		async () => (await client.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models.filter((m) => m.runId === run.id),
		(list) => list.length === checkpoints
	);
	return { run, checkpoints: models.sort((a, b) => (a.step ?? 0) - (b.step ?? 0)) };
}
