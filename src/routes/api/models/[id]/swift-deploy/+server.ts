import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

/**
 * Starts `swift deploy` of a model: `{infer_backend?}`; 202 `{job}`. Once healthy it is registered as an
 * endpoint, which is server configuration: admins only. Stop it as any job (DELETE /api/jobs/<id>).
 */
export const POST = apiRoute<{ id: string }>('admin', async ({ event, app, user }) => {
	const body = await readJsonBody(event.request, 'swift deploy request');
	return json({ job: app.swiftDeploys.start(event.params.id, body, user) }, { status: 202 });
});
