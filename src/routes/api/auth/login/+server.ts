import { z } from 'zod';
import { publicApiRoute, readJson } from '$lib/server/http/api';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';

// Sign-in checks only the shape: the password rules are for new passwords.
const loginSchema = z.object({ username: z.string().trim().min(1).max(40), password: z.string().min(1).max(200) });

export const POST = publicApiRoute(async ({ event, app }) => {
	const credentials = await readJson(event.request, loginSchema);
	const { user, cookie } = await app.auth.login(credentials, event.getClientAddress());
	setSessionCookie(event, cookie);
	return { user };
});
