import { z } from 'zod';
import { requireOwnerOrAdmin } from '$lib/server/auth/ownership';
import { apiRoute, readJson } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { runResource } from '$lib/server/runs/runResource';
import { toPublicRun } from '$lib/shared/run/publicRun';

const moveSchema = z.object({ before: z.string().nullable() });

/** Reorders the queue: puts this queued run before another queued run, or last (`before: null`). */
export const POST = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	const run = app.runs.get(event.params.id);
	requireOwnerOrAdmin(runResource(run), user);
	const { before } = await readJson(event.request, moveSchema);
	const beforeJob = before === null ? null : app.runs.get(before).jobId;
	if (run.status !== 'queued' || !run.jobId || !app.jobs.reorder(run.jobId, beforeJob)) {
		throw new HttpError('conflict', 'Only queued runs can be reordered, and only before another queued run.');
	}
	return { runs: app.runs.list().map(toPublicRun) };
});
