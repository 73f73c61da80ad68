import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

/** Every registered endpoint with its health (probed when older than a few seconds); base URLs for admins only. */
export const GET = apiRoute('chat', async ({ app, user }) => {
	await app.endpoints.refreshHealth();
	return { endpoints: app.endpoints.list(user) };
});

/** Registers an endpoint: server configuration, so admins only. The answer says whether a key is set, never the key. */
export const POST = apiRoute('admin', async ({ event, app, user }) => json({ endpoint: app.endpoints.create(await readJsonBody(event.request, 'endpoint'), user) }, { status: 201 }));
