import type { Handle } from '@sveltejs/kit';
import { appContext } from '../context';
import { errorResponse, HttpError } from '../http/httpError';
import { crossSiteMessage, fetchHeaders, isAllowedStateChange } from '../http/origin';

/**
 * Refuses state-changing requests sent by another site, before the session is even read: JSON APIs,
 * form actions, sign-in and setup alike. (SvelteKit's own check covers form content types only.)
 */
export const originHandle: Handle = async ({ event, resolve }) => {
	const { request } = event;
	if (!isAllowedStateChange(request.method, fetchHeaders(request.headers), appContext().config.origin)) {
		return errorResponse(new HttpError('forbidden', crossSiteMessage));
	}
	return resolve(event);
};
