import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { toPublicJob } from '$lib/shared/jobs';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const job = app.jobs.get(event.params.id);
	if (!job) throw new HttpError('not_found', `No job "${event.params.id}".`);
	return { job: toPublicJob(job) };
});

/** Cancels a queued job, or asks a running one to stop at its next safe point. */
export const DELETE = apiRoute<{ id: string }>('write', ({ event, app }) => ({ job: toPublicJob(app.scheduler.cancel(event.params.id)) }));
