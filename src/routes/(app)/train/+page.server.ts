import { appContext } from '$lib/server/context';
import { requirePageCapability } from '$lib/server/pageGuard';
import { runPresets } from '$lib/shared/run/runPresets';
import type { RunConfigInput } from '$lib/shared/run/runConfig';
import type { PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	requirePageCapability(locals.user, 'write');
	const app = appContext();
	const datasets = app.datasets.list().map((d) => ({ id: d.id, name: d.name, rows: d.rowCount }));
	const cloneId = url.searchParams.get('clone');
	const cloned = cloneId ? app.runs.list().find((r) => r.id === cloneId) : undefined;
	const initial: RunConfigInput = cloned
		? { ...cloned.config, name: `${cloned.config.name} (copy)` }
		: { ...runPresets['demo-vlm'].config, name: 'demo-run', dataset: datasets[0]?.id ?? '' };
	return {
		initial,
		clonedFrom: cloned ? { id: cloned.id, name: cloned.name } : null,
		datasets,
		devices: app.scheduler.devices().map((d) => ({ id: d.id, name: d.name }))
	};
}) satisfies PageServerLoad;
