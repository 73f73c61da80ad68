import type { Handle } from '@sveltejs/kit';
import { appContext } from '../context';
import { setSessionCookie } from './sessionCookie';

/** Reads the session cookie and puts the signed-in user (or null) on `locals`. */
export const authHandle: Handle = async ({ event, resolve }) => {
	const { auth } = appContext();
	const sessionId = event.cookies.get(auth.cookieName) ?? null;
	event.locals.user = null;
	event.locals.sessionId = null;
	if (sessionId) {
		const { user, refreshedCookie } = await auth.validate(sessionId);
		if (user) {
			event.locals.user = user;
			event.locals.sessionId = sessionId;
			if (refreshedCookie) setSessionCookie(event, refreshedCookie);
		} else {
			setSessionCookie(event, auth.blankCookie());
		}
	}
	return resolve(event);
};
