import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKeysRepository } from '../db/apiKeys';
import { openDatabase, type Db } from '../db/database';
import { UsersRepository } from '../db/users';
import { HttpError } from '../http/httpError';
import { ApiKeyService, hashApiKey } from './apiKeys';

let dir: string;
let db: Db;
let users: UsersRepository;
let now: number;
let service: ApiKeyService;

beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keys-test-'));
	db = openDatabase(path.join(dir, 'test.db'));
	users = new UsersRepository(db);
	now = 1_000_000;
	service = new ApiKeyService(new ApiKeysRepository(db), users, 3, () => now);
});
afterEach(() => {
	db.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('API keys', () => {
	it('are shown once, stored as a hash, and act as their owner with the owner’s current role', () => {
		const viewer = users.create({ username: 'viewer', passwordHash: 'x', role: 'viewer' });
		const { key, secret } = service.create(viewer, 'notebook');
		expect(secret).toMatch(/^sb-[A-Za-z0-9_-]{43}$/);
		expect(key.prefix).toBe(secret.slice(0, 11));
		const stored = db.prepare('SELECT * FROM api_keys').get() as Record<string, unknown>;
		expect(JSON.stringify(stored)).not.toContain(secret.slice(3));
		expect(stored.secret_hash).toBe(hashApiKey(secret));

		now += 5000;
		expect(service.authenticate(secret)).toEqual({ user: { id: viewer.id, username: 'viewer', role: 'viewer' }, keyId: key.id });
		expect(service.list(viewer)[0].lastUsedAt).toBe(now);
		users.setRole(viewer.id, 'member');
		expect(service.authenticate(secret)?.user.role).toBe('member');
	});

	it('a revoked key, an unknown key and a deleted owner’s key authenticate no one', () => {
		const owner = users.create({ username: 'owner', passwordHash: 'x', role: 'member' });
		const first = service.create(owner, 'a');
		const second = service.create(owner, 'b');
		expect(service.authenticate('sb-not-a-key')).toBeNull();
		expect(service.authenticate(first.secret.slice(3))).toBeNull();
		expect(service.revoke(owner, first.key.id).revokedAt).toBe(now);
		expect(service.authenticate(first.secret)).toBeNull();
		expect(service.authenticate(second.secret)).not.toBeNull();
		users.delete(owner.id);
		expect(service.authenticate(second.secret)).toBeNull();
	});

	it('only the owner may revoke a key; to others it does not exist', () => {
		const owner = users.create({ username: 'owner', passwordHash: 'x', role: 'member' });
		const other = users.create({ username: 'other', passwordHash: 'x', role: 'admin' });
		const { key } = service.create(owner, 'a');
		expect(() => service.revoke(other, key.id)).toThrow(HttpError);
		expect(service.list(other)).toEqual([]);
		expect(service.list(owner)).toHaveLength(1);
	});

	it('limits requests per key per minute, with Retry-After', () => {
		const owner = users.create({ username: 'owner', passwordHash: 'x', role: 'member' });
		const a = service.create(owner, 'a').key.id;
		const b = service.create(owner, 'b').key.id;
		for (let i = 0; i < 3; i++) service.admit(a);
		const refusal = (() => {
			try {
				service.admit(a);
			} catch (error) {
				return error as HttpError;
			}
			return null;
		})();
		expect(refusal?.status).toBe(429);
		expect(refusal?.headers).toEqual({ 'retry-after': '20' });
		expect(() => service.admit(b)).not.toThrow();
		now += 20_000;
		expect(() => service.admit(a)).not.toThrow();
	});
});
