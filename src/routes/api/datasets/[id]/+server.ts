import { z } from 'zod';
import { requireOwnerOrAdmin } from '$lib/server/auth/ownership';
import { apiRoute, readJson } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => ({ dataset: app.datasetCatalog.get(event.params.id) }));

const changeSchema = z
	.object({
		name: z.string().trim().min(1, 'Give the dataset a name').max(120).optional(),
		split: z.object({ ratio: z.number().min(0).max(1), seed: z.number().int() }).optional()
	})
	.refine((change) => change.name !== undefined || change.split !== undefined, 'Send a new name or split');

/** Rename and/or change the train/validation split. */
export const PATCH = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	let dataset = app.datasetCatalog.get(event.params.id);
	requireOwnerOrAdmin({ ownerId: dataset.ownerId, label: `dataset "${dataset.name}"` }, user);
	const { name, split } = await readJson(event.request, changeSchema);
	if (name !== undefined) dataset = app.datasetCatalog.rename(event.params.id, name);
	if (split !== undefined) dataset = app.datasetCatalog.changeSplit(event.params.id, split);
	return { dataset };
});

export const DELETE = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	await app.datasetCatalog.delete(event.params.id, user);
	return { ok: true };
});
