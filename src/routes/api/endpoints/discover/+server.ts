import { apiRoute, readJsonBody } from '$lib/server/http/api';

/**
 * The models a server lists, from the URL (and key) an admin is about to register: the one place a URL
 * from a request is fetched, and only an admin's, since registering a server is server configuration.
 */
export const POST = apiRoute('admin', async ({ event, app }) => ({ models: await app.endpoints.discover(await readJsonBody(event.request, 'discovery request')) }));
