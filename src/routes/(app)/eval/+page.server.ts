import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const app = appContext();
	return {
		evals: app.evals.list(),
		models: app.models
			.list()
			.filter((m) => m.kind !== 'preset')
			.map((m) => ({ id: m.id, name: m.name, engine: m.engine })),
		datasets: app.datasets.list().map((d) => ({ id: d.id, name: d.name })),
		swiftAvailable: app.swift.info().available
	};
}) satisfies PageServerLoad;
