import type { HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { accessHandle } from '$lib/server/hooks/accessHandle';
import { apiKeyHandle } from '$lib/server/hooks/apiKeyHandle';
import { authHandle } from '$lib/server/hooks/authHandle';
import { localeHandle } from '$lib/server/hooks/localeHandle';
import { originHandle } from '$lib/server/hooks/originHandle';

export const handle = sequence(originHandle, localeHandle, authHandle, apiKeyHandle, accessHandle);

export const handleError: HandleServerError = ({ error, event, status }) => {
	if (status !== 404) console.error(`[${event.request.method} ${event.url.pathname}]`, error);
	return { code: status === 404 ? 'not_found' : 'internal', message: status === 404 ? 'Not found' : 'Internal error' };
};
