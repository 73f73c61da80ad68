import { credentialsSchema } from '$lib/shared/auth';
import { publicApiRoute, readJson } from '$lib/server/http/api';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';

/** Creates the first admin. Only while no user exists; 409 afterwards. */
export const POST = publicApiRoute(async ({ event, app }) => {
	const credentials = await readJson(event.request, credentialsSchema);
	const { user, cookie } = await app.auth.setup(credentials);
	setSessionCookie(event, cookie);
	return { user };
});
