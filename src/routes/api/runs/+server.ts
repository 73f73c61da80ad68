import { apiRoute, json } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';

export const GET = apiRoute('read', ({ app }) => ({ runs: app.runs.list() }));

export const POST = apiRoute('write', async ({ event, app, user }) => {
	const body: unknown = await event.request.json().catch(() => {
		throw new HttpError('invalid_request', 'The run configuration is not valid JSON.');
	});
	return json({ run: app.runs.create(body, user) }, { status: 201 });
});
