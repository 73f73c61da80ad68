import { apiRoute } from '$lib/server/http/api';

/** Stops a generation at once (its owner or an admin); the stream ends with `done`, finishReason `cancelled`. */
export const DELETE = apiRoute<{ id: string }>('chat', ({ event, app, user }) => {
	app.generations.cancel(event.params.id, user);
	return { ok: true };
});
