import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ evals: app.evals.list() }));

/** Queues an eval job: `{model, dataset | runId, split?, metrics?, limit?, max_new_tokens?}`; 201 `{eval}`. */
export const POST = apiRoute('write', async ({ event, app, user }) => {
	const body = await readJsonBody(event.request, 'eval request');
	return json({ eval: app.evals.start(body, user) }, { status: 201 });
});
