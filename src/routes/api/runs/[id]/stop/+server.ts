import { apiRoute } from '$lib/server/http/api';

/** Graceful stop: the run finishes its step, saves a checkpoint and becomes `stopped`. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app }) => ({ run: app.runs.stop(event.params.id) }));
