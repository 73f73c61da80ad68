import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/lib/server/db/database';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { adminCredentials, ApiClient, setupAdmin } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/waitFor';

let server: TestServer | null = null;
afterEach(async () => {
	await server?.stop();
	server = null;
});

const runConfig = {
	name: 'arith',
	model: 'nano',
	dataset: 'arith',
	max_steps: 400,
	per_device_train_batch_size: 4,
	max_length: 64,
	learning_rate: 3e-3,
	tuner_type: 'full',
	save_steps: 5,
	logging_steps: 1
};

const getRun = async (client: ApiClient, id: string) => (await client.json<{ run: RunRecord }>('GET', `/api/runs/${id}`)).body.run;
const listRuns = async (client: ApiClient) => (await client.json<{ runs: RunRecord[] }>('GET', '/api/runs')).body.runs;

function withDb<T>(dataDir: string, work: (db: ReturnType<typeof openDatabase>) => T): T {
	const db = openDatabase(path.join(dataDir, 'swiftboard.db'));
	try {
		return work(db);
	} finally {
		db.close();
	}
}

describe('run recovery', () => {
	it('refuses an unknown device without storing a run', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(16));
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const before = await listRuns(admin);
		const bad = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...runConfig, device: 'cuda:7' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.device).toBeTruthy();
		expect(await listRuns(admin)).toEqual(before);
		expect(fs.existsSync(path.join(dataDir, 'runs')) ? fs.readdirSync(path.join(dataDir, 'runs')) : []).toEqual([]);
		// Nothing holds the dataset either.
		expect((await admin.request('DELETE', '/api/datasets/arith')).status).toBe(200);
	});

	it('repairs a queued run left without a job at start, so it can be deleted', async () => {
		const dataDir = tempDataDir();
		server = await startServer({ dataDir });
		await setupAdmin(server.url);
		await server.stop();
		const ghostId = 'ghost-run-0001';
		withDb(dataDir, (db) => {
			const owner = (db.prepare('SELECT id FROM users LIMIT 1').get() as { id: string }).id;
			db.prepare(
				`INSERT INTO runs (id, name, owner_id, config, status, job_id, step, progress, created_at)
				 VALUES (?, 'ghost', ?, ?, 'queued', NULL, 0, 0, ?)`
			).run(ghostId, owner, JSON.stringify(runConfig), Date.now());
		});

		server = await startServer({ dataDir });
		const admin = new ApiClient(server.url);
		expect((await admin.request('POST', '/api/auth/login', adminCredentials)).status).toBe(200);
		const ghost = await getRun(admin, ghostId);
		expect(ghost.status).toBe('interrupted');
		expect(ghost.error).toMatch(/no job/);
		expect((await admin.request('DELETE', `/api/runs/${ghostId}`)).status).toBe(200);
		expect((await listRuns(admin)).map((r) => r.id)).not.toContain(ghostId);
	});

	it('resumes from the newest complete checkpoint on disk when the recorded one was rotated away', async () => {
		const dataDir = tempDataDir();
		seedDataset(dataDir, 'arith', arithmeticRows(64));
		server = await startServer({ dataDir });
		const admin = await setupAdmin(server.url);
		const created = await admin.json<{ run: RunRecord }>('POST', '/api/runs', runConfig);
		expect(created.status).toBe(201);
		const runId = created.body.run.id;
		await waitFor(() => getRun(admin, runId), (run) => run.status === 'running' && run.step >= 12);
		expect((await admin.request('POST', `/api/runs/${runId}/stop`)).status).toBe(200);
		await waitFor(() => getRun(admin, runId), (run) => run.status === 'stopped');

		// What a stalled main thread leaves: the database names an old checkpoint that rotation deleted,
		// newer complete ones exist, and the newest directory is a save cut short (no trainer state).
		const runDir = path.join(dataDir, 'runs', runId);
		const steps = fs
			.readdirSync(runDir)
			.map((name) => /^checkpoint-(\d+)$/.exec(name))
			.filter((m) => m !== null)
			.map((m) => Number(m[1]))
			.sort((a, b) => a - b);
		expect(steps.length).toBeGreaterThanOrEqual(2);
		const recorded = path.join(runDir, `checkpoint-${steps[0]}`);
		const newest = steps.at(-1)!;
		fs.rmSync(recorded, { recursive: true });
		withDb(dataDir, (db) => db.prepare('UPDATE runs SET last_checkpoint = ? WHERE id = ?').run(recorded, runId));
		const partial = path.join(runDir, `checkpoint-${newest + 1000}`);
		fs.mkdirSync(partial);
		fs.writeFileSync(path.join(partial, 'model.safetensors'), 'cut short');

		const resumed = await admin.json<{ run: RunRecord }>('POST', `/api/runs/${runId}/resume`);
		expect(resumed.status).toBe(200);
		expect(resumed.body.run.lastCheckpoint).toBe(`checkpoint-${newest}`);
		const running = await waitFor(
			() => getRun(admin, runId),
			(run) => run.status === 'failed' || (run.status === 'running' && run.step > newest)
		);
		expect(running.status).toBe('running');
		const log = fs.readFileSync(path.join(runDir, 'run.log'), 'utf8');
		expect(log).toContain(`Resuming from checkpoint-${newest} at step ${newest}`);
		// The job's payload names the checkpoint, the run folder and the dataset by path: none may show.
		const jobs = await admin.request('GET', '/api/jobs');
		const jobsText = await jobs.text();
		expect(jobsText).toContain(runId);
		expect(jobsText).not.toContain(dataDir);
		expect((await admin.request('POST', `/api/runs/${runId}/stop`)).status).toBe(200);
		await waitFor(() => getRun(admin, runId), (run) => run.status === 'stopped');
	});
});
