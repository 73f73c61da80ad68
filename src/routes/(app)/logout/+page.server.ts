import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
	default: async (event) => {
		if (event.locals.sessionId) setSessionCookie(event, await appContext().auth.logout(event.locals.sessionId));
		redirect(303, '/login');
	}
} satisfies Actions;
