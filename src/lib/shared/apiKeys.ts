import { z } from 'zod';

/** What the owner sees of an API key: never its secret, which is shown once when it is made. */
export interface ApiKeyInfo {
	id: string;
	name: string;
	/** The key's first characters, enough to tell keys apart. */
	prefix: string;
	createdAt: number;
	lastUsedAt: number | null;
	revokedAt: number | null;
}

export const newApiKeySchema = z.object({
	name: z.string().trim().min(1, 'Name the key').max(80, 'Name must be at most 80 characters')
});

/** Every key starts so, which also lets secret scanners recognise a leaked one. */
export const apiKeyPrefix = 'sb-';
