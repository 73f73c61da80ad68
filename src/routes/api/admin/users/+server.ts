import { newUserSchema } from '$lib/shared/auth';
import { apiRoute, json, readJson } from '$lib/server/http/api';

export const GET = apiRoute('admin', ({ app }) => ({ users: app.userAdmin.list() }));

export const POST = apiRoute('admin', async ({ event, app }) => {
	const input = await readJson(event.request, newUserSchema);
	return json({ user: await app.userAdmin.add(input) }, { status: 201 });
});
