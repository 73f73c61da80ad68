import { appContext } from '$lib/server/context';
import { findRun } from '$lib/server/runs/findRun';
import { requirePageCapability } from '$lib/server/pageGuard';
import { runPresets } from '$lib/shared/run/runPresets';
import { defaultRunConfig, type RunConfigInput } from '$lib/shared/run/runConfig';
import type { PageServerLoad } from './$types';

/** The demo preset when the demo datasets are there; otherwise the same settings on the first dataset. */
function demoOrFirst(ids: string[]): RunConfigInput {
	// Every field starts from its default, so the form never shows an empty box for a value it will send.
	const demo = { ...defaultRunConfig, ...runPresets['demo-vlm'].config, name: 'demo-run' };
	if (ids.includes(demo.dataset) && ids.includes(demo.val_dataset)) return demo;
	return { ...demo, dataset: ids[0] ?? '', val_dataset: null, split_dataset_ratio: 0.05 };
}

export const load = (({ locals, url }) => {
	requirePageCapability(locals.user, 'write');
	const app = appContext();
	const datasets = app.datasets.list().map((d) => ({ id: d.id, name: d.name, rows: d.rowCount }));
	const cloneId = url.searchParams.get('clone');
	const cloned = cloneId ? findRun(app.runs, cloneId) : null;
	const initial: RunConfigInput = cloned
		? { ...cloned.config, name: `${cloned.config.name} (copy)` }
		: demoOrFirst(datasets.map((d) => d.id));
	return {
		initial,
		clonedFrom: cloned ? { id: cloned.id, name: cloned.name } : null,
		datasets,
		devices: app.scheduler.devices().map((d) => ({ id: d.id, name: d.name }))
	};
}) satisfies PageServerLoad;
