import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({ model: app.models.get(event.params.id) }));

/** The owner or an admin; refused with 409 while a queued or running run uses the model. */
export const DELETE = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	app.models.delete(event.params.id, user);
	return { ok: true };
});
