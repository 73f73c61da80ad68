import { requireOwnerOrAdmin } from '$lib/server/auth/ownership';
import { apiRoute } from '$lib/server/http/api';
import { runResource } from '$lib/server/runs/runResource';
import { toPublicRun } from '$lib/shared/run/publicRun';

/** Graceful stop: the run finishes its step, saves a checkpoint and becomes `stopped`. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	requireOwnerOrAdmin(runResource(app.runs.get(event.params.id)), user);
	return { run: toPublicRun(app.runs.stop(event.params.id)) };
});
