import { redirect, type Handle } from '@sveltejs/kit';
import { appContext } from '../context';
import { errorResponse, HttpError } from '../http/httpError';

/** API routes that answer without a session. Every other /api route needs one. */
export const publicApiRoutes = new Set(['/api/health', '/api/auth/setup', '/api/auth/login']);

const authPages = new Set(['/login', '/setup']);

/**
 * Access before any route runs: APIs answer 401 without a session; pages send a stranger to sign in,
 * and everyone to /setup while no account exists. Role checks live with each route.
 */
export const accessHandle: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	if (path === '/api' || path.startsWith('/api/')) {
		if (!publicApiRoutes.has(path) && !event.locals.user) {
			return errorResponse(new HttpError('unauthenticated', 'Sign in first.'));
		}
		return resolve(event);
	}
	if (path.startsWith('/_app/') || path === '/favicon.svg') return resolve(event);

	const needsSetup = appContext().auth.needsSetup();
	if (needsSetup && path !== '/setup') redirect(303, '/setup');
	if (!needsSetup && path === '/setup') redirect(303, event.locals.user ? '/' : '/login');
	if (!event.locals.user && !authPages.has(path)) {
		const next = path === '/' ? '' : `?next=${encodeURIComponent(path + event.url.search)}`;
		redirect(303, `/login${next}`);
	}
	if (event.locals.user && path === '/login') redirect(303, '/');
	return resolve(event);
};
