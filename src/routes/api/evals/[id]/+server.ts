import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({ eval: app.evals.get(event.params.id), report: app.evals.report(event.params.id) }));

/** The owner or an admin; a queued or running eval is cancelled first. */
export const DELETE = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	app.evals.delete(event.params.id, user);
	return { ok: true };
});
