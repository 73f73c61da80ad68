import { jobSubmissionSchema, toPublicJob } from '$lib/shared/jobs';
import { apiRoute, json, readJson } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ jobs: app.jobs.list().map(toPublicJob) }));

export const POST = apiRoute('write', async ({ event, app, user }) => {
	const submission = await readJson(event.request, jobSubmissionSchema, 'job');
	return json({ job: toPublicJob(app.scheduler.submit(submission, user.id)) }, { status: 201 });
});
