import { apiRoute, json, readJsonBody } from '$lib/server/http/api';
import { toPublicRun } from '$lib/shared/run/publicRun';

export const GET = apiRoute('read', ({ app }) => ({ runs: app.runs.list().map(toPublicRun) }));

export const POST = apiRoute('write', async ({ event, app, user }) => {
	const body = await readJsonBody(event.request, 'run configuration');
	return json({ run: toPublicRun(app.runs.create(body, user)) }, { status: 201 });
});
