import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({
	run: app.runs.get(event.params.id),
	checkpoints: app.runs.checkpoints(event.params.id)
}));

export const DELETE = apiRoute<{ id: string }>('write', ({ event, app }) => {
	app.runs.delete(event.params.id);
	return { ok: true };
});
