import { appContext } from '$lib/server/context';
import { demoDatasets } from '$lib/server/demo/demoDatasets';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const app = appContext();
	const runNames = Object.fromEntries(app.runs.list().map((run) => [run.id, run.name]));
	return {
		models: app.models.list(),
		runNames,
		demoReady: demoDatasets.every((d) => app.datasets.get(d.id) !== null)
	};
}) satisfies PageServerLoad;
