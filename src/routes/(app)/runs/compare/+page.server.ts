import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { findRun } from '$lib/server/runs/findRun';
import { differingKeys } from '$lib/shared/run/configDiff';
import type { PageServerLoad } from './$types';

export const load = (({ url }) => {
	const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean).slice(0, 8);
	const service = appContext().runs;
	const runs = ids.map((id) => findRun(service, id)).filter((r) => r !== null);
	if (runs.length === 0) error(404, { code: 'not_found', message: 'Choose runs to compare on the Runs page.' });
	const differences = differingKeys(runs.map((r) => r.config as Record<string, unknown>)).filter((key) => key !== 'name');
	return { runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status, config: r.config })), differences };
}) satisfies PageServerLoad;
