import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const datasets = appContext()
		.datasetCatalog.list()
		.map(({ stats, ...dataset }) => ({ ...dataset, media: (stats as { media?: Record<string, number> } | null)?.media ?? null }));
	return { datasets };
}) satisfies PageServerLoad;
