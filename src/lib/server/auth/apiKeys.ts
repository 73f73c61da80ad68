import { createHash, randomBytes } from 'node:crypto';
import { apiKeyPrefix, type ApiKeyInfo } from '../../shared/apiKeys';
import type { SessionUser } from '../../shared/auth';
import type { ApiKeysRepository, StoredApiKey } from '../db/apiKeys';
import { newId } from '../db/ids';
import type { UsersRepository } from '../db/users';
import { HttpError } from '../http/httpError';
import { TokenBucket } from '../realtime/tokenBucket';

/** Characters of a key kept in the clear and shown in lists: "sb-" and 8 of the secret. */
const shownLength = apiKeyPrefix.length + 8;

/**
 * The secret is 256 random bits, so one round of SHA-256 is enough to store it: unlike a password it
 * cannot be guessed from a dictionary, and a fast hash lets every request find its key by an index
 * lookup (no per-request argon2, no comparison whose time depends on the secret).
 */
export function hashApiKey(secret: string): string {
	return createHash('sha256').update(secret).digest('hex');
}

function info(key: StoredApiKey): ApiKeyInfo {
	return { id: key.id, name: key.name, prefix: key.prefix, createdAt: key.createdAt, lastUsedAt: key.lastUsedAt, revokedAt: key.revokedAt };
}

export interface KeyAuth {
	user: SessionUser;
	keyId: string;
}

/**
 * API keys: each user makes and revokes their own; a key acts with its owner's current role, and
 * only while the owner exists and the key is not revoked. Requests per key are limited per minute.
 */
export class ApiKeyService {
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(
		private readonly keys: ApiKeysRepository,
		private readonly users: UsersRepository,
		private readonly requestsPerMinute: number,
		private readonly now: () => number = Date.now
	) {}

	create(user: SessionUser, name: string): { key: ApiKeyInfo; secret: string } {
		const secret = apiKeyPrefix + randomBytes(32).toString('base64url');
		const stored = { id: newId(), userId: user.id, name, prefix: secret.slice(0, shownLength), secretHash: hashApiKey(secret), createdAt: this.now() };
		this.keys.insert(stored);
		return { key: { id: stored.id, name, prefix: stored.prefix, createdAt: stored.createdAt, lastUsedAt: null, revokedAt: null }, secret };
	}

	list(user: SessionUser): ApiKeyInfo[] {
		return this.keys.listForUser(user.id).map(info);
	}

	/** Each user revokes their own keys only; another's key is not found, not forbidden, so ids reveal nothing. */
	revoke(user: SessionUser, id: string): ApiKeyInfo {
		const key = this.keys.get(id);
		if (!key || key.userId !== user.id) throw new HttpError('not_found', `No API key "${id}" of yours.`);
		this.keys.revoke(id, this.now());
		this.buckets.delete(id);
		return info(this.keys.get(id) ?? key);
	}

	/** The key's owner, or null for an unknown or revoked key or a deleted owner. Records the use. */
	authenticate(secret: string): KeyAuth | null {
		if (!secret.startsWith(apiKeyPrefix)) return null;
		const key = this.keys.findByHash(hashApiKey(secret));
		if (!key || key.revokedAt !== null) return null;
		const user = this.users.get(key.userId);
		if (!user) return null;
		this.keys.touch(key.id, this.now());
		return { user: { id: user.id, username: user.username, role: user.role }, keyId: key.id };
	}

	/** Takes one request from the key's budget; throws 429 with Retry-After when it is spent. */
	admit(keyId: string): void {
		let bucket = this.buckets.get(keyId);
		if (!bucket) {
			bucket = new TokenBucket(this.requestsPerMinute / 60, this.requestsPerMinute, this.now);
			this.buckets.set(keyId, bucket);
		}
		if (!bucket.take()) {
			const retryAfterS = Math.max(1, Math.ceil(60 / this.requestsPerMinute));
			throw new HttpError(
				'rate_limited',
				`This API key may send ${this.requestsPerMinute} requests a minute (SWIFTBOARD_API_KEY_RPM); try again in ${retryAfterS} s.`,
				undefined,
				{ 'retry-after': String(retryAfterS) }
			);
		}
	}
}
