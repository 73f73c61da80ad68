import { fail, redirect } from '@sveltejs/kit';
import { readCredentialsForm } from '$lib/server/auth/formCredentials';
import { appContext } from '$lib/server/context';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';
import { HttpError } from '$lib/server/http/httpError';
import type { Actions } from './$types';

/** Only same-site paths may be the destination after sign-in. */
function safeNext(next: string | null): string {
	return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const actions = {
	default: async (event) => {
		const form = await readCredentialsForm(event.request, false);
		if (!form.ok) return fail(400, { username: form.username, message: form.message });
		try {
			const { cookie } = await appContext().auth.login(form.credentials, event.getClientAddress());
			setSessionCookie(event, cookie);
		} catch (error) {
			if (HttpError.is(error)) {
				return fail(error.status, { username: form.credentials.username, message: error.message });
			}
			throw error;
		}
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
} satisfies Actions;
