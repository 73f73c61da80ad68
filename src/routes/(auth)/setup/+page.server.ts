import { fail, redirect } from '@sveltejs/kit';
import { readCredentialsForm } from '$lib/server/auth/formCredentials';
import { appContext } from '$lib/server/context';
import { setSessionCookie } from '$lib/server/hooks/sessionCookie';
import { HttpError } from '$lib/server/http/httpError';
import type { Actions } from './$types';

export const actions = {
	default: async (event) => {
		const form = await readCredentialsForm(event.request, true);
		if (!form.ok) return fail(400, { username: form.username, message: form.message });
		try {
			const { cookie } = await appContext().auth.setup(form.credentials);
			setSessionCookie(event, cookie);
		} catch (error) {
			if (HttpError.is(error)) return fail(error.status, { username: form.credentials.username, message: error.message });
			throw error;
		}
		redirect(303, '/');
	}
} satisfies Actions;
