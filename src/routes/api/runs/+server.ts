import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ runs: app.runs.list() }));

export const POST = apiRoute('write', async ({ event, app, user }) => {
	const body = await readJsonBody(event.request, 'run configuration');
	return json({ run: app.runs.create(body, user) }, { status: 201 });
});
