import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database';
import { JobsRepository } from './jobs';
import { migrations } from './migrations';
import { UsersRepository } from './users';

let dir: string;
let db: Db;
let jobs: JobsRepository;
let userId: string;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swiftboard-db-'));
	db = openDatabase(path.join(dir, 'test.db'));
	jobs = new JobsRepository(db);
	userId = new UsersRepository(db).create({ username: 'u', passwordHash: 'x', role: 'member' }).id;
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

const enqueue = (device = 'auto') => jobs.enqueue({ kind: 'noop', payload: {}, device, userId });

describe('JobsRepository', () => {
	it('claims queued jobs in order, honouring the requested device', () => {
		const a = enqueue('cuda:0');
		const b = enqueue();
		const c = enqueue('cpu');
		expect(jobs.claimNext('cpu')?.id).toBe(b.id);
		expect(jobs.claimNext('cpu')?.id).toBe(c.id);
		expect(jobs.claimNext('cpu')).toBeNull();
		expect(jobs.claimNext('cuda:0')?.id).toBe(a.id);
		expect(jobs.get(a.id)).toMatchObject({ status: 'running', assignedDevice: 'cuda:0' });
	});

	it('reorders and cancels queued jobs only', () => {
		const a = enqueue();
		const b = enqueue();
		const c = enqueue();
		expect(jobs.reorder(c.id, a.id)).toBe(true);
		expect(jobs.list().map((j) => j.id)).toEqual([c.id, a.id, b.id]);
		expect(jobs.reorder(c.id, null)).toBe(true);
		expect(jobs.list().map((j) => j.id)).toEqual([a.id, b.id, c.id]);
		expect(jobs.cancelQueued(b.id)).toBe(true);
		jobs.claimNext('cpu');
		expect(jobs.cancelQueued(a.id)).toBe(false);
		expect(jobs.reorder(a.id, null)).toBe(false);
	});

	it('marks running jobs interrupted after a restart', () => {
		const a = enqueue();
		jobs.claimNext('cpu');
		expect(jobs.markRunningInterrupted()).toBe(1);
		expect(jobs.get(a.id)?.status).toBe('interrupted');
	});
});

describe('migrations', () => {
	it('apply once and record the schema version', () => {
		expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
		db.close();
		db = openDatabase(path.join(dir, 'test.db'));
		expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
		expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
	});

	it('refuse a database from a newer SwiftBoard', () => {
		db.pragma(`user_version = ${migrations.length + 1}`);
		db.close();
		expect(() => (db = openDatabase(path.join(dir, 'test.db')))).toThrow(/newer than this SwiftBoard/);
		db = openDatabase(path.join(dir, 'other.db'));
	});
});
