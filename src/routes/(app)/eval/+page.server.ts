import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load = (() => {
	const app = appContext();
	return {
		evals: app.evals.list(),
		// Saved models of the built-in engine and the registered endpoints (`endpoint:<id>`).
		models: app.inference
			.models()
			.filter((m) => m.servable)
			.map((m) => ({ id: m.id, name: m.name, engine: m.engine })),
		datasets: app.datasets.list().map((d) => ({ id: d.id, name: d.name }))
	};
}) satisfies PageServerLoad;
