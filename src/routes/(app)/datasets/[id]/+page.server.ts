import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { HttpError } from '$lib/server/http/httpError';
import type { DatasetStats } from '$lib/shared/dataset';
import type { PageServerLoad } from './$types';

export const load = (async ({ params }) => {
	const catalog = appContext().datasetCatalog;
	try {
		const dataset = catalog.get(params.id);
		const { errors } = dataset.errorCount > 0 ? await catalog.errors(params.id, 0, 1000) : { errors: [] };
		return { dataset: { ...dataset, stats: dataset.stats as DatasetStats | null }, errors };
	} catch (failure) {
		if (HttpError.is(failure)) error(failure.status, { code: failure.code, message: failure.message });
		throw failure;
	}
}) satisfies PageServerLoad;
