import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ models: app.models.list() }));
