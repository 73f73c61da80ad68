import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/lib/shared/jobs';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { addUser, setupAdmin, type ApiClient } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let admin: ApiClient;
let ann: ApiClient;
let bob: ApiClient;
let vic: ApiClient;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(16));
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	ann = await addUser(admin, 'ann', 'member');
	bob = await addUser(admin, 'bob', 'member');
	vic = await addUser(admin, 'vic', 'viewer');
});
afterAll(async () => {
	await server?.stop();
});

async function uploadAs(client: ApiClient, name: string): Promise<string> {
	const form = new FormData();
	form.append('name', name);
	form.append('files', new Blob([arithmeticRows(8).map((r) => JSON.stringify(r)).join('\n') + '\n']), `${name}.jsonl`);
	const response = await fetch(`${server.url}/api/datasets`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
	expect(response.status).toBe(201);
	return ((await response.json()) as { dataset: { id: string } }).dataset.id;
}

const status = async (client: ApiClient, method: string, path: string, body?: unknown) => (await client.request(method, path, body)).status;

async function createRun(client: ApiClient, name: string, dataset = 'arith'): Promise<RunRecord> {
	const created = await client.json<{ run: RunRecord }>('POST', '/api/runs', { name, model: 'nano', dataset, max_steps: 100_000, save_steps: 100_000, max_length: 32 });
	expect(created.status).toBe(201);
	return created.body.run;
}

async function waitForStatus(id: string, wanted: string[]): Promise<RunRecord> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const run = (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${id}`)).body.run;
		if (wanted.includes(run.status)) return run;
		if (Date.now() > deadline) throw new Error(`run ${id} stayed ${run.status}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

describe('datasets belong to their owner', () => {
	it('anyone reads them; only the owner or an admin renames, re-splits or deletes', async () => {
		const id = await uploadAs(ann, 'anns-set');
		const listed = await bob.json<{ datasets: { id: string; ownerName: string | null }[] }>('GET', '/api/datasets');
		expect(listed.body.datasets.find((d) => d.id === id)?.ownerName).toBe('ann');
		expect(await status(bob, 'GET', `/api/datasets/${id}`)).toBe(200);

		const renamed = await bob.json<{ error: { code: string; message: string } }>('PATCH', `/api/datasets/${id}`, { name: 'mine now' });
		expect(renamed.status).toBe(403);
		expect(renamed.body.error.message).toBe('Only the owner of the dataset "anns-set" or an admin may change it.');
		expect(await status(bob, 'PATCH', `/api/datasets/${id}`, { split: { ratio: 0.5, seed: 1 } })).toBe(403);
		expect(await status(bob, 'DELETE', `/api/datasets/${id}`)).toBe(403);
		expect(await status(vic, 'PATCH', `/api/datasets/${id}`, { name: 'x' })).toBe(403);
		expect(await status(vic, 'DELETE', `/api/datasets/${id}`)).toBe(403);

		expect(await status(ann, 'PATCH', `/api/datasets/${id}`, { name: 'anns-renamed' })).toBe(200);
		expect(await status(admin, 'PATCH', `/api/datasets/${id}`, { split: { ratio: 0.25, seed: 2 } })).toBe(200);
		const page = await (await admin.request('GET', `/datasets`)).text();
		expect(page).toMatch(/data-owner[^>]*>ann</);

		const second = await uploadAs(ann, 'anns-other');
		expect(await status(ann, 'DELETE', `/api/datasets/${second}`)).toBe(200);
		expect(await status(admin, 'DELETE', `/api/datasets/${id}`)).toBe(200);
	});
});

describe('runs and jobs belong to whoever started them', () => {
	it('anyone may train on any dataset; only the owner or an admin stops, resumes, reorders or deletes a run', async () => {
		const annsData = await uploadAs(ann, 'for-everyone');
		const running = await createRun(ann, 'ann-1', annsData);
		const queued = await createRun(ann, 'ann-2');
		const other = await createRun(bob, 'bob-1', annsData);
		expect(queued.ownerName).toBe('ann');
		expect((await admin.json<{ runs: RunRecord[] }>('GET', '/api/runs')).body.runs.find((r) => r.id === other.id)?.ownerName).toBe('bob');
		expect(await (await admin.request('GET', `/runs/${queued.id}`)).text()).toMatch(/data-owner[^>]*>[^<]*ann</);

		for (const client of [bob, vic]) {
			expect(await status(client, 'POST', `/api/runs/${running.id}/stop`)).toBe(403);
			expect(await status(client, 'POST', `/api/runs/${queued.id}/move`, { before: null })).toBe(403);
			expect(await status(client, 'DELETE', `/api/runs/${queued.id}`)).toBe(403);
		}
		expect(await status(ann, 'POST', `/api/runs/${queued.id}/move`, { before: null })).toBe(200);
		expect(await status(admin, 'POST', `/api/runs/${other.id}/stop`)).toBe(200);
		expect(await status(ann, 'POST', `/api/runs/${queued.id}/stop`)).toBe(200);
		expect(await status(ann, 'POST', `/api/runs/${running.id}/stop`)).toBe(200);
		await waitForStatus(running.id, ['stopped', 'cancelled', 'failed', 'succeeded']);

		for (const client of [bob, vic]) {
			expect(await status(client, 'POST', `/api/runs/${running.id}/resume`)).toBe(403);
			expect(await status(client, 'DELETE', `/api/runs/${running.id}`)).toBe(403);
		}
		expect(await status(ann, 'DELETE', `/api/runs/${queued.id}`)).toBe(200);
		expect(await status(admin, 'DELETE', `/api/runs/${running.id}`)).toBe(200);
		expect(await status(bob, 'DELETE', `/api/runs/${other.id}`)).toBe(200);
	}, 120_000);

	it('only the owner or an admin cancels a job', async () => {
		const submit = async (client: ApiClient) => (await client.json<{ job: JobRecord }>('POST', '/api/jobs', { kind: 'noop', payload: { durationMs: 30_000, steps: 3 } })).body.job;
		const first = await submit(ann);
		const second = await submit(ann);
		const jobs = (await bob.json<{ jobs: JobRecord[] }>('GET', '/api/jobs')).body.jobs;
		expect(jobs.find((j) => j.id === first.id)?.userName).toBe('ann');
		expect(await status(bob, 'DELETE', `/api/jobs/${first.id}`)).toBe(403);
		expect(await status(vic, 'DELETE', `/api/jobs/${first.id}`)).toBe(403);
		expect(await status(ann, 'DELETE', `/api/jobs/${second.id}`)).toBe(200);
		expect(await status(admin, 'DELETE', `/api/jobs/${first.id}`)).toBe(200);
	});
});
