import { userUpdateSchema } from '$lib/shared/auth';
import { apiRoute, readJson } from '$lib/server/http/api';

export const PATCH = apiRoute<{ id: string }>('admin', async ({ event, app, user }) => {
	const change = await readJson(event.request, userUpdateSchema);
	return { user: await app.userAdmin.update(event.params.id, change, user.id) };
});

export const DELETE = apiRoute<{ id: string }>('admin', async ({ event, app, user }) => {
	await app.userAdmin.remove(event.params.id, user.id);
	return { ok: true };
});
