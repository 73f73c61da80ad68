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
		datasets: app.datasets.list().map((d) => ({ id: d.id, name: d.name })),
		// `swift eval` loads any saved model (swift checkpoints and exports too) or points at an endpoint.
		swiftModels: app.swift.info().available
			? app.inference
					.models()
					.filter((m) => m.kind !== 'preset')
					.map((m) => ({ id: m.id, name: m.name }))
			: null
	};
}) satisfies PageServerLoad;
