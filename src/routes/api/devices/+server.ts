import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ app }) => ({ devices: app.scheduler.devices() }));
