import { apiRoute } from '$lib/server/http/api';

/** Continues a stopped, interrupted or failed run from its last checkpoint. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app, user }) => ({ run: app.runs.resume(event.params.id, user) }));
