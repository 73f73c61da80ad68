import { appContext } from '$lib/server/context';
import { demoDatasets } from '$lib/server/demo/demoDatasets';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const app = appContext();
	const runNames = Object.fromEntries(app.runs.list().map((run) => [run.id, run.name]));
	const models = app.models.list();
	// Each trained model's ONNX export as it is now (none after the model's files change).
	const exports = Object.fromEntries(
		models.filter((m) => m.kind !== 'preset' && m.engine === 'builtin').map((m) => {
			const info = app.modelExports.info(m.id);
			return [m.id, info ? { modelId: info.modelId, fingerprint: info.fingerprint, precisions: info.precisions, totals: info.totals, sizeBytes: info.sizeBytes, int8MaxLogitError: info.int8MaxLogitError, createdAt: info.createdAt } : null];
		})
	);
	return {
		models,
		exports,
		runNames,
		swift: app.swift.info(),
		// `swift deploy` registers endpoints, so admins start and stop it; its deploys queued or running now.
		swiftDeployments: app.swift.info().available && locals.user?.role === 'admin' ? app.swiftDeploys.list().filter((d) => d.status === 'queued' || d.status === 'running') : null,
		// Calibration rows for an AWQ / GPTQ `swift export`.
		datasets: app.datasets.list().map((d) => ({ id: d.id, name: d.name })),
		// Health as last known (the section asks for fresh health once shown); URLs for admins only.
		endpoints: locals.user ? app.endpoints.list(locals.user) : [],
		demoReady: demoDatasets.every((d) => app.datasets.get(d.id) !== null)
	};
}) satisfies PageServerLoad;
