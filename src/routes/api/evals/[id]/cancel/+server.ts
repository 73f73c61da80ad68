import { apiRoute } from '$lib/server/http/api';

/** The owner or an admin stops a queued or running eval; what it answered so far is kept. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app, user }) => ({ eval: app.evals.cancel(event.params.id, user) }));
