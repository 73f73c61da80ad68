import type { RequestEvent } from '@sveltejs/kit';
import type { ZodType } from 'zod';
import { roleCan, type Capability, type SessionUser } from '../../shared/auth';
import { appContext, type AppContext } from '../context';
import { errorResponse, HttpError } from './httpError';

export interface ApiContext<Params extends Partial<Record<string, string>>> {
	event: RequestEvent<Params>;
	user: SessionUser;
	app: AppContext;
}

/**
 * Wraps a JSON endpoint: checks the session and the capability first, turns HttpError into the
 * standard error body, and serialises the return value. Every non-public API route goes through here.
 */
export function apiRoute<Params extends Partial<Record<string, string>>>(
	capability: Capability,
	handler: (ctx: ApiContext<Params>) => Promise<unknown> | unknown
) {
	return async (event: RequestEvent<Params>): Promise<Response> => {
		try {
			const user = requireCapability(event.locals.user, capability);
			const result = await handler({ event, user, app: appContext() });
			return result instanceof Response ? result : json(result ?? { ok: true });
		} catch (error) {
			if (HttpError.is(error)) return errorResponse(error);
			throw error;
		}
	};
}

/** Same wrapping for the few endpoints that need no session (health, setup, login). */
export function publicApiRoute<Params extends Partial<Record<string, string>>>(
	handler: (ctx: { event: RequestEvent<Params>; app: AppContext }) => Promise<unknown> | unknown
) {
	return async (event: RequestEvent<Params>): Promise<Response> => {
		try {
			const result = await handler({ event, app: appContext() });
			return result instanceof Response ? result : json(result ?? { ok: true });
		} catch (error) {
			if (HttpError.is(error)) return errorResponse(error);
			throw error;
		}
	};
}

export function requireCapability(user: SessionUser | null, capability: Capability): SessionUser {
	if (!user) throw new HttpError('unauthenticated', 'Sign in first.');
	if (!roleCan(user.role, capability)) {
		throw new HttpError('forbidden', `Your role (${user.role}) may not do this; it needs "${capability}" access.`);
	}
	return user;
}

/** The body parsed as JSON, whatever its shape: 413 past the body size limit, 400 when it is not JSON. */
export async function readJsonBody(request: Request, what = 'request body'): Promise<unknown> {
	try {
		return await request.json();
	} catch (error) {
		// The adapter stops reading a body past BODY_SIZE_LIMIT with a 413 error (its message names the limit).
		if ((error as { status?: unknown }).status === 413) {
			throw new HttpError('payload_too_large', `The ${what} is too large: ${(error as Error).message}`);
		}
		throw new HttpError('invalid_request', `The ${what} is not valid JSON.`);
	}
}

export async function readJson<T>(request: Request, schema: ZodType<T>, what = 'request body'): Promise<T> {
	const parsed = schema.safeParse(await readJsonBody(request, what));
	if (!parsed.success) throw HttpError.fromZod(parsed.error, what);
	return parsed.data;
}

export function json(data: unknown, init: ResponseInit = {}): Response {
	return new Response(JSON.stringify(data), {
		...init,
		headers: { 'content-type': 'application/json', ...init.headers }
	});
}
