import { requireOwnerOrAdmin } from '$lib/server/auth/ownership';
import { apiRoute } from '$lib/server/http/api';
import type { AppContext } from '$lib/server/context';
import { HttpError } from '$lib/server/http/httpError';
import { toPublicJob, type JobRecord } from '$lib/shared/jobs';

function requireJob(app: AppContext, id: string): JobRecord {
	const job = app.jobs.get(id);
	if (!job) throw new HttpError('not_found', `No job "${id}".`);
	return job;
}

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({ job: toPublicJob(requireJob(app, event.params.id)) }));

/** Cancels a queued job, or asks a running one to stop at its next safe point. */
export const DELETE = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	const job = requireJob(app, event.params.id);
	requireOwnerOrAdmin({ ownerId: job.userId, label: `${job.kind} job ${job.id}` }, user);
	return { job: toPublicJob(app.scheduler.cancel(job.id)) };
});
