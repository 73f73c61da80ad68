import { apiRoute } from '$lib/server/http/api';

/** The models a registered endpoint's server lists on `/v1/models`. */
export const GET = apiRoute<{ id: string }>('admin', async ({ event, app }) => ({ models: await app.endpoints.models(event.params.id) }));
