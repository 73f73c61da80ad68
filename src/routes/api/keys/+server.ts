import { newApiKeySchema } from '$lib/shared/apiKeys';
import { apiRoute, json, readJson } from '$lib/server/http/api';

export const GET = apiRoute('chat', ({ app, user }) => ({ keys: app.apiKeys.list(user) }));

/** The secret is in this answer and nowhere else, ever. */
export const POST = apiRoute('chat', async ({ event, app, user }) => {
	const { name } = await readJson(event.request, newApiKeySchema);
	return json(app.apiKeys.create(user, name), { status: 201 });
});
