import { jobSubmissionSchema } from '$lib/shared/jobs';
import { apiRoute, json, readJson } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ jobs: app.jobs.list() }));

export const POST = apiRoute('write', async ({ event, app, user }) => {
	const submission = await readJson(event.request, jobSubmissionSchema, 'job');
	return json({ job: app.scheduler.submit(submission, user.id) }, { status: 201 });
});
