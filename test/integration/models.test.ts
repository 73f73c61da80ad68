import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/lib/shared/jobs';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import { addUser, type ApiClient, setupAdmin } from '../helpers/api';
import { arithmeticRows, seedDataset } from '../helpers/seedDataset';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { readZip } from '../helpers/zip';
import { waitFor } from '../helpers/waitFor';

let server: TestServer;
let admin: ApiClient;
let member: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
	const dataDir = tempDataDir();
	seedDataset(dataDir, 'arith', arithmeticRows(32));
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	member = await addUser(admin, 'member1', 'member');
	viewer = await addUser(admin, 'viewer1', 'viewer');
}, 90_000);
afterAll(async () => {
	await server?.stop();
});

const nanoRun = { name: 'nano-full', model: 'nano', dataset: 'arith', max_steps: 8, per_device_train_batch_size: 4, max_length: 64, tuner_type: 'full', save_steps: 2, save_total_limit: 2, logging_steps: 1, learning_rate: 3e-3 };

const listModels = async (client: ApiClient = admin) => (await client.json<{ models: ModelSummary[] }>('GET', '/api/models')).body.models;
const runOf = async (id: string) => (await admin.json<{ run: RunRecord }>('GET', `/api/runs/${id}`)).body.run;

async function trainToEnd(client: ApiClient, config: Record<string, unknown>): Promise<RunRecord> {
	const created = await client.json<{ run: RunRecord }>('POST', '/api/runs', config);
	expect(created.status, JSON.stringify(created.body)).toBe(201);
	const run = await waitFor(() => runOf(created.body.run.id), (r) => !['queued', 'running'].includes(r.status));
	expect(run.status, run.error ?? '').toBe('succeeded');
	return run;
}

function importForm(files: { name: string; bytes: Buffer | string }[], name?: string): FormData {
	const form = new FormData();
	if (name) form.append('name', name);
	for (const file of files) form.append('files', new Blob([typeof file.bytes === 'string' ? file.bytes : new Uint8Array(file.bytes)]), file.name);
	return form;
}

async function importModel(client: ApiClient, form: FormData) {
	const response = await fetch(`${server.url}/api/models/import`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
	return { status: response.status, body: (await response.json()) as { model: ModelSummary; error: { code: string; message: string; fields?: Record<string, string> } } };
}

const modelsDir = () => path.join(server.dataDir, 'models');
const modelFolders = () => (fs.existsSync(modelsDir()) ? fs.readdirSync(modelsDir()).sort() : []);

let fullCheckpoint: ModelSummary;
let checkpointFiles: Map<string, Buffer>;

describe('the model registry', () => {
	it('lists the presets, and registers a run\'s checkpoints as rotation keeps them', async () => {
		const presets = await listModels(viewer);
		expect(presets.map((m) => m.id)).toEqual(['nano', 'micro', 'demo-vlm']);
		expect(presets.find((m) => m.id === 'demo-vlm')).toMatchObject({ kind: 'preset', architecture: 'multimodal', modalities: ['text', 'image', 'audio', 'video'] });

		const run = await trainToEnd(admin, nanoRun);
		const checkpoints = await waitFor(
			async () => (await listModels()).filter((m) => m.runId === run.id),
			(list) => list.length === 2 && list.some((m) => m.step === 8)
		);
		// save_total_limit 2: steps 2 and 4 were saved, registered, rotated away and forgotten.
		expect(checkpoints.map((m) => m.step).sort()).toEqual([6, 8]);
		fullCheckpoint = checkpoints.find((m) => m.step === 8)!;
		expect(fullCheckpoint).toMatchObject({ kind: 'checkpoint', format: 'full', architecture: 'llama', modalities: ['text'], baseModelId: 'nano', ownerName: 'admin' });
		expect(fullCheckpoint.parameters).toBeGreaterThan(100_000);
		expect(fullCheckpoint.trainableParameters).toBe(fullCheckpoint.parameters);
		expect(fullCheckpoint.sizeBytes).toBeGreaterThan(fullCheckpoint.parameters * 4);
		// Paths stay on the server.
		const listed = JSON.stringify(await listModels());
		expect(listed).not.toContain(server.dataDir);
		expect(listed).not.toContain('"path"');
		expect((await viewer.json('GET', `/api/models/${fullCheckpoint.id}`)).body).toEqual({ model: fullCheckpoint });
		expect((await viewer.json('GET', '/api/models/no-such-model')).status).toBe(404);
	});

	it('downloads a model as a zip of its folder', async () => {
		const response = await viewer.request('GET', `/api/models/${fullCheckpoint.id}/download`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/zip');
		checkpointFiles = await readZip(Buffer.from(await response.arrayBuffer()));
		const folder = path.join(server.dataDir, 'runs', fullCheckpoint.runId!, 'checkpoint-8');
		const onDisk = fs.readdirSync(folder).sort();
		const names = [...checkpointFiles.keys()];
		const prefix = names[0].split('/')[0];
		expect(names.map((n) => n.slice(prefix.length + 1)).sort()).toEqual(onDisk);
		for (const file of onDisk) expect(checkpointFiles.get(`${prefix}/${file}`)!.equals(fs.readFileSync(path.join(folder, file)))).toBe(true);
		expect((await viewer.request('GET', '/api/models/nano/download')).status).toBe(409);
	});

	it('imports a zip or a folder\'s files, and refuses a broken model naming the tensor or field, keeping nothing', async () => {
		const zip = Buffer.from(await (await admin.request('GET', `/api/models/${fullCheckpoint.id}/download`)).arrayBuffer());
		const fromZip = await importModel(member, importForm([{ name: 'arith-model.zip', bytes: zip }]));
		expect(fromZip.status, JSON.stringify(fromZip.body)).toBe(201);
		expect(fromZip.body.model).toMatchObject({ kind: 'imported', name: 'arith-model', format: 'full', parameters: fullCheckpoint.parameters, ownerName: 'member1' });

		const config = [...checkpointFiles].find(([n]) => n.endsWith('/config.json'))![1];
		const weights = [...checkpointFiles].find(([n]) => n.endsWith('/model.safetensors'))![1];
		const fromFiles = await importModel(admin, importForm([{ name: 'config.json', bytes: config }, { name: 'model.safetensors', bytes: weights }], 'two files'));
		expect(fromFiles.status, JSON.stringify(fromFiles.body)).toBe(201);
		expect(fromFiles.body.model.name).toBe('two files');
		const kept = modelFolders();
		expect(kept).toEqual([fromZip.body.model.id, fromFiles.body.model.id].sort());

		const hf = JSON.parse(config.toString()) as Record<string, unknown>;
		const wrongShape = await importModel(admin, importForm([{ name: 'config.json', bytes: JSON.stringify({ ...hf, hidden_size: (hf.hidden_size as number) * 2, intermediate_size: hf.intermediate_size }) }, { name: 'model.safetensors', bytes: weights }]));
		expect(wrongShape.status).toBe(422);
		expect(wrongShape.body.error.message).toMatch(/model\.safetensors: tensor \S+ has shape/);
		expect(wrongShape.body.error.message).not.toContain(server.dataDir);

		const missing = await importModel(admin, importForm([{ name: 'config.json', bytes: config }]));
		expect(missing.status).toBe(422);
		expect(missing.body.error.message).toMatch(/model\.safetensors: missing/);

		const unknown = await importModel(admin, importForm([{ name: 'config.json', bytes: JSON.stringify({ ...hf, architectures: ['MysteryForCausalLM'], model_type: 'mystery' }) }, { name: 'model.safetensors', bytes: weights }]));
		expect(unknown.status).toBe(422);
		expect(unknown.body.error.message).toMatch(/config\.json/);

		expect((await importModel(admin, importForm([]))).status).toBe(400);
		expect((await importModel(viewer, importForm([{ name: 'config.json', bytes: config }]))).status).toBe(403);
		expect(modelFolders()).toEqual(kept);
	});

	it('trains from a saved model, refuses to delete it while a run uses it, and lets only the owner or an admin delete', async () => {
		const unknown = await admin.json<{ error: { fields: Record<string, string> } }>('POST', '/api/runs', { ...nanoRun, model: 'no-such-model' });
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.fields.model).toBeTruthy();

		// A long run holds the CPU slot, so the run from the imported model waits in the queue.
		const blocker = await admin.json<{ run: RunRecord }>('POST', '/api/runs', { ...nanoRun, name: 'blocker', max_steps: 100000, save_steps: 100000 });
		const imported = (await listModels()).find((m) => m.kind === 'imported' && m.ownerName === 'member1')!;
		const fromSaved = await member.json<{ run: RunRecord }>('POST', '/api/runs', { ...nanoRun, name: 'from-saved', model: imported.id, tuner_type: 'lora' });
		expect(fromSaved.status, JSON.stringify(fromSaved.body)).toBe(201);
		expect(fromSaved.body.run.config.model).toBe(imported.id);
		// The API never shows server paths, so the queued job's payload is read from the database itself.
		const db = new Database(path.join(server.dataDir, 'swiftboard.db'), { readonly: true });
		const stored = db.prepare('SELECT payload FROM jobs WHERE id = ?').get(fromSaved.body.run.jobId) as { payload: string };
		db.close();
		expect((JSON.parse(stored.payload) as { modelDir: string }).modelDir).toBe(path.join(server.dataDir, 'models', imported.id));

		const refused = await member.json<{ error: { code: string; message: string } }>('DELETE', `/api/models/${imported.id}`);
		expect(refused.status).toBe(409);
		expect(refused.body.error.message).toMatch(/from-saved/);
		expect((await listModels()).find((m) => m.id === imported.id)!.inUseBy).toMatch(/from-saved/);

		await member.json('POST', `/api/runs/${fromSaved.body.run.id}/stop`);
		await admin.json('POST', `/api/runs/${blocker.body.run.id}/stop`);
		await waitFor(() => runOf(blocker.body.run.id), (r) => !['queued', 'running'].includes(r.status));

		const other = await addUser(admin, 'member2', 'member');
		expect((await other.json('DELETE', `/api/models/${imported.id}`)).status).toBe(403);
		expect((await viewer.json('DELETE', `/api/models/${imported.id}`)).status).toBe(403);
		expect((await member.json('DELETE', `/api/models/${imported.id}`)).status).toBe(200);
		expect(modelFolders()).not.toContain(imported.id);
		expect((await member.json('DELETE', '/api/models/nano')).status).toBe(409);

		// Deleting a checkpoint entry deletes its folder in the run directory.
		const older = (await listModels()).find((m) => m.runId === fullCheckpoint.runId && m.step === 6)!;
		expect((await admin.json('DELETE', `/api/models/${older.id}`)).status).toBe(200);
		expect(fs.existsSync(path.join(server.dataDir, 'runs', fullCheckpoint.runId!, 'checkpoint-6'))).toBe(false);
	});

	it('merges an adapter checkpoint into a full model as a job', async () => {
		const lora = await trainToEnd(admin, { ...nanoRun, name: 'nano-lora', tuner_type: 'lora', max_steps: 4, save_steps: 4, learning_rate: 1e-3 });
		const adapter = await waitFor(
			async () => (await listModels()).find((m) => m.runId === lora.id && m.step === 4),
			(m) => m !== undefined
		);
		expect(adapter).toMatchObject({ format: 'adapter', tunerType: 'lora', baseModelId: 'nano' });
		expect(adapter!.trainableParameters).toBeLessThan(adapter!.parameters / 4);

		expect((await viewer.json('POST', `/api/models/${adapter!.id}/merge`, {})).status).toBe(403);
		expect((await admin.json('POST', `/api/models/${fullCheckpoint.id}/merge`, {})).status).toBe(409);
		const started = await member.json<{ job: JobRecord }>('POST', `/api/models/${adapter!.id}/merge`, {});
		expect(started.status).toBe(202);
		const job = await waitFor(
			async () => (await admin.json<{ job: JobRecord }>('GET', `/api/jobs/${started.body.job.id}`)).body.job,
			(j) => !['queued', 'running'].includes(j.status)
		);
		expect(job.status, job.error ?? '').toBe('succeeded');
		const merged = (await listModels()).find((m) => m.kind === 'merged')!;
		expect(merged).toMatchObject({ format: 'full', baseModelId: adapter!.id, runId: lora.id, step: 4, parameters: adapter!.parameters, ownerName: 'member1' });
		expect(modelFolders()).toContain(merged.id);

		// The merged model is a base like any other: a run trains from its folder.
		const fromMerged = await trainToEnd(member, { ...nanoRun, name: 'from-merged', model: merged.id, tuner_type: 'lora', max_steps: 2, save_steps: 2 });
		const log = fs.readFileSync(path.join(server.dataDir, 'runs', fromMerged.id, 'run.log'), 'utf8');
		expect(log).toContain(path.join(server.dataDir, 'models', merged.id));
	});
});
