import { requireOwnerOrAdmin } from '$lib/server/auth/ownership';
import { apiRoute } from '$lib/server/http/api';
import { runResource } from '$lib/server/runs/runResource';
import { toPublicCheckpoint, toPublicRun } from '$lib/shared/run/publicRun';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({
	run: toPublicRun(app.runs.get(event.params.id)),
	checkpoints: app.runs.checkpoints(event.params.id).map(toPublicCheckpoint)
}));

export const DELETE = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	requireOwnerOrAdmin(runResource(app.runs.get(event.params.id)), user);
	app.runs.delete(event.params.id);
	return { ok: true };
});
