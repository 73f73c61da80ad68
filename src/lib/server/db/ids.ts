import { randomBytes } from 'node:crypto';

/** Random, URL-safe identifiers: 15 bytes = 120 bits, 20 characters. */
export function newId(): string {
	return randomBytes(15).toString('base64url');
}
