import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../shared/auth';
import type { SavedModelDescription } from '../../shared/models';
import { runConfigSchema } from '../../shared/run/runConfig';
import type { RunRecord, RunStatus } from '../../shared/run/runRecord';
import { openDatabase, type Db } from '../db/database';
import { ModelsRepository } from '../db/models';
import { UsersRepository } from '../db/users';
import { HttpError } from '../http/httpError';
import { describeSwiftCheckpoint } from '../engines/swift/swiftCheckpoint';
import { ModelRegistry } from './modelRegistry';

let dir: string;
let db: Db;
let registry: ModelRegistry;
let runs: RunRecord[];
let owner: SessionUser;
let other: SessionUser;
let described: string[];

const adapterInfo: SavedModelDescription = {
	architecture: 'llama',
	format: 'adapter',
	modalities: ['text'],
	parameters: 1000,
	trainableParameters: 100,
	baseModel: 'nano',
	tunerType: 'lora'
};

function run(id: string, status: RunStatus, model = 'nano'): RunRecord {
	return {
		id,
		name: `run ${id}`,
		ownerId: owner.id,
		ownerName: owner.username,
		config: runConfigSchema.parse({ name: `run ${id}`, model, dataset: 'd' }),
		status,
		jobId: null,
		device: null,
		step: 0,
		maxSteps: null,
		progress: 0,
		remainingMs: null,
		lastCheckpoint: null,
		error: null,
		createdAt: 0,
		startedAt: null,
		finishedAt: null
	};
}

function checkpointDir(runId: string, step: number): string {
	const ckpt = path.join(dir, 'runs', runId, `checkpoint-${step}`);
	fs.mkdirSync(ckpt, { recursive: true });
	fs.writeFileSync(path.join(ckpt, 'adapter_model.safetensors'), Buffer.alloc(1234));
	return ckpt;
}

/** Models a job (a deploy) serves now. */
const served = new Set<string>();

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-models-'));
	db = openDatabase(path.join(dir, 'test.db'));
	const users = new UsersRepository(db);
	const a = users.create({ username: 'owner', passwordHash: 'x', role: 'member' });
	const b = users.create({ username: 'other', passwordHash: 'x', role: 'member' });
	owner = { id: a.id, username: 'owner', role: 'member' };
	other = { id: b.id, username: 'other', role: 'member' };
	runs = [];
	described = [];
	registry = new ModelRegistry({
		models: new ModelsRepository(db),
		dataDir: dir,
		describeSwift: describeSwiftCheckpoint,
		describe: async (folder) => {
			described.push(folder);
			if (!fs.existsSync(folder)) throw new Error(`${folder}: no such folder`);
			return adapterInfo;
		},
		listRuns: () => runs,
		userName: (id) => users.get(id)?.username ?? null,
		heldByJob: (id) => (served.has(id) ? 'a deploy serves it' : null)
	});
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('ModelRegistry', () => {
	it('lists the presets first, without files, and resolves them for runs', () => {
		const listed = registry.list();
		expect(listed.map((m) => m.id)).toEqual(['nano', 'micro', 'demo-vlm']);
		expect(listed.every((m) => m.kind === 'preset' && m.sizeBytes === 0)).toBe(true);
		expect(listed.find((m) => m.id === 'demo-vlm')?.modalities).toEqual(['text', 'image', 'audio', 'video']);
		expect(listed.find((m) => m.id === 'nano')!.parameters).toBeGreaterThan(100_000);
		expect(registry.runModelDir('nano')).toBeNull();
	});

	it('registers a checkpoint with its size and provenance, and keeps the path on the server', async () => {
		const r = run('r1', 'running');
		runs.push(r);
		const ckpt = checkpointDir('r1', 10);
		const stored = await registry.registerCheckpoint(r, 10, ckpt);
		expect(stored).toMatchObject({ kind: 'checkpoint', format: 'adapter', runId: 'r1', step: 10, baseModel: 'nano', sizeBytes: 1234 });
		const summary = registry.get(stored!.id);
		expect(summary).toMatchObject({ name: 'run r1 · checkpoint-10', ownerName: 'owner', baseModelId: 'nano', trainableParameters: 100 });
		expect(JSON.stringify(summary)).not.toContain(dir);
		expect(registry.runModelDir(stored!.id)).toBe(ckpt);
		// Saving the same folder again refreshes the entry instead of adding a second one.
		await registry.registerCheckpoint(r, 10, ckpt);
		expect(registry.list().filter((m) => m.kind === 'checkpoint')).toHaveLength(1);
	});

	it('forgets checkpoints that rotation or run deletion removed', async () => {
		const r = run('r1', 'running');
		runs.push(r);
		const first = await registry.registerCheckpoint(r, 5, checkpointDir('r1', 5));
		await registry.registerCheckpoint(r, 10, checkpointDir('r1', 10));
		fs.rmSync(first!.path, { recursive: true });
		expect(registry.list().filter((m) => m.kind === 'checkpoint').map((m) => m.step)).toEqual([10]);
		expect(() => registry.get(first!.id)).toThrow(/No model/);
		fs.rmSync(path.join(dir, 'runs', 'r1'), { recursive: true });
		expect(registry.list().filter((m) => m.kind === 'checkpoint')).toEqual([]);
		expect(new ModelsRepository(db).list()).toEqual([]);
	});

	it('names the model field when a run asks for a model that does not exist', () => {
		try {
			registry.runModelDir('no-such-model');
			expect.unreachable();
		} catch (error) {
			expect(HttpError.is(error) && error.status === 400 && error.fields?.model).toBeTruthy();
		}
	});

	it('refuses to delete while a run trains from the model or writes it or a job serves it, and only for the owner or an admin', async () => {
		const writer = run('r1', 'running');
		runs.push(writer);
		const stored = (await registry.registerCheckpoint(writer, 10, checkpointDir('r1', 10)))!;
		expect(() => registry.delete(stored.id, owner)).toThrow(/owns this checkpoint/);
		writer.status = 'stopped';
		runs.push(run('r2', 'queued', stored.id));
		expect(registry.get(stored.id).inUseBy).toMatch(/run r2/);
		expect(() => registry.delete(stored.id, owner)).toThrow(/trains from this model/);
		runs[1].status = 'succeeded';
		served.add(stored.id);
		expect(() => registry.delete(stored.id, owner)).toThrow(/a deploy serves it/);
		served.clear();
		expect(() => registry.delete(stored.id, other)).toThrow(/owner of a model or an administrator/);
		expect(() => registry.delete('nano', owner)).toThrow(/preset/);
		registry.delete(stored.id, { ...other, role: 'admin' });
		expect(fs.existsSync(stored.path)).toBe(false);
		expect(() => registry.get(stored.id)).toThrow(/No model/);
	});

	it('registers at start the checkpoints on disk it does not know, and describes only those', async () => {
		const r = run('r1', 'stopped');
		runs.push(r);
		const known = checkpointDir('r1', 5);
		await registry.registerCheckpoint(r, 5, known);
		const unknown = checkpointDir('r1', 10);
		described.length = 0;
		await registry.registerMissing([{ run: r, checkpoints: [{ step: 5, path: known }, { step: 10, path: unknown }] }]);
		expect(described).toEqual([unknown]);
		expect(registry.list().filter((m) => m.runId === 'r1').map((m) => m.step!).sort((a, b) => a - b)).toEqual([5, 10]);
	});

	it('skips a checkpoint that rotation removed before its description came back', async () => {
		const r = run('r1', 'running');
		const ckpt = checkpointDir('r1', 5);
		fs.rmSync(ckpt, { recursive: true });
		expect(await registry.registerCheckpoint(r, 5, ckpt)).toBeNull();
		expect(described).toEqual([ckpt]);
	});
});
