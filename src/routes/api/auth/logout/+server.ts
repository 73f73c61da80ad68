import { apiRoute } from '$lib/server/http/api';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';

export const POST = apiRoute('read', async ({ event, app }) => {
	if (event.locals.sessionId) setSessionCookie(event, await app.auth.logout(event.locals.sessionId));
	return { ok: true };
});
