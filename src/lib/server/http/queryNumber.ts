import { HttpError } from './httpError';

/** A non-negative integer query parameter, clamped to `max`, with a clear error when malformed. */
export function queryInt(url: URL, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
	const raw = url.searchParams.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) throw new HttpError('invalid_request', `"${name}" must be a whole number, got "${raw}".`, { [name]: 'Not a whole number' });
	return Math.min(value, max);
}
