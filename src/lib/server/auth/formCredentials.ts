import { credentialsSchema, type Credentials } from '../../shared/auth';

/** Reads username and password from a form post; a readable message when they do not pass. */
export async function readCredentialsForm(
	request: Request,
	strict: boolean
): Promise<{ ok: true; credentials: Credentials } | { ok: false; username: string; message: string }> {
	const form = await request.formData();
	const username = String(form.get('username') ?? '');
	const password = String(form.get('password') ?? '');
	if (!strict) {
		if (!username.trim() || !password) return { ok: false, username, message: 'Enter your username and password.' };
		return { ok: true, credentials: { username: username.trim(), password } };
	}
	const parsed = credentialsSchema.safeParse({ username, password });
	if (!parsed.success) return { ok: false, username, message: parsed.error.issues[0]?.message ?? 'Invalid input' };
	return { ok: true, credentials: parsed.data };
}
