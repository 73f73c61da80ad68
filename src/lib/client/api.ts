import { apiErrorBodySchema } from '$lib/shared/apiError';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly fields?: Record<string, string>
	) {
		super(message);
	}
}

/** JSON request to the SwiftBoard API; failures become ApiError with the server's message. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
	const response = await fetch(path, {
		method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
		headers: init.body === undefined ? undefined : { 'content-type': 'application/json' },
		body: init.body === undefined ? undefined : JSON.stringify(init.body)
	});
	const payload: unknown = await response.json().catch(() => null);
	if (!response.ok) {
		const parsed = apiErrorBodySchema.safeParse(payload);
		if (parsed.success) {
			const { code, message, fields } = parsed.data.error;
			throw new ApiError(response.status, code, message, fields);
		}
		throw new ApiError(response.status, 'http_error', `The server answered ${response.status}.`);
	}
	return payload as T;
}

/** Runs an action and returns the message to show when it fails (the server's, when it sent one), or null. */
export async function attempt(work: () => Promise<unknown>): Promise<string | null> {
	try {
		await work();
		return null;
	} catch (error) {
		return error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
	}
}
