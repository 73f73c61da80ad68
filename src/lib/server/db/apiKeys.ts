import type { ApiKeyInfo } from '../../shared/apiKeys';
import type { Db } from './database';

interface ApiKeyRecord {
	id: string;
	user_id: string;
	name: string;
	prefix: string;
	secret_hash: string;
	created_at: number;
	last_used_at: number | null;
	revoked_at: number | null;
}

export interface StoredApiKey extends ApiKeyInfo {
	userId: string;
}

function toKey(record: ApiKeyRecord): StoredApiKey {
	return {
		id: record.id,
		userId: record.user_id,
		name: record.name,
		prefix: record.prefix,
		createdAt: record.created_at,
		lastUsedAt: record.last_used_at,
		revokedAt: record.revoked_at
	};
}

export class ApiKeysRepository {
	constructor(private readonly db: Db) {}

	insert(key: { id: string; userId: string; name: string; prefix: string; secretHash: string; createdAt: number }): void {
		this.db
			.prepare('INSERT INTO api_keys (id, user_id, name, prefix, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
			.run(key.id, key.userId, key.name, key.prefix, key.secretHash, key.createdAt);
	}

	listForUser(userId: string): StoredApiKey[] {
		const rows = this.db.prepare('SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at DESC').all(userId) as ApiKeyRecord[];
		return rows.map(toKey);
	}

	get(id: string): StoredApiKey | null {
		const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRecord | undefined;
		return row ? toKey(row) : null;
	}

	findByHash(secretHash: string): StoredApiKey | null {
		const row = this.db.prepare('SELECT * FROM api_keys WHERE secret_hash = ?').get(secretHash) as ApiKeyRecord | undefined;
		return row ? toKey(row) : null;
	}

	revoke(id: string, at: number): void {
		this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
	}

	touch(id: string, at: number): void {
		this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
	}
}
