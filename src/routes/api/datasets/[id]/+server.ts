import { z } from 'zod';
import { apiRoute, readJson } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({ dataset: app.datasetCatalog.get(event.params.id) }));

const changeSchema = z.object({ name: z.string().trim().min(1, 'Give the dataset a name').max(120) });

export const PATCH = apiRoute<{ id: string }>('write', async ({ event, app }) => {
	const { name } = await readJson(event.request, changeSchema);
	return { dataset: app.datasetCatalog.rename(event.params.id, name) };
});

export const DELETE = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	await app.datasetCatalog.delete(event.params.id, user);
	return { ok: true };
});
