import { apiRoute, readJsonBody } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('chat', ({ event, app, user }) => ({ endpoint: app.endpoints.describe(event.params.id, user) }));

/** Changes an endpoint; `apiKey` left out keeps the stored key, '' clears it. */
export const PATCH = apiRoute<{ id: string }>('admin', async ({ event, app, user }) => ({ endpoint: app.endpoints.update(event.params.id, await readJsonBody(event.request, 'endpoint'), user) }));

export const DELETE = apiRoute<{ id: string }>('admin', ({ event, app }) => {
	app.endpoints.delete(event.params.id);
	return { ok: true };
});
