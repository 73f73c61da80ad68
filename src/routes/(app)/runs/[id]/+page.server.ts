import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const app = appContext();
	const run = app.runs.list().find((r) => r.id === params.id);
	if (!run) error(404, { code: 'not_found', message: `No run "${params.id}".` });
	return { run, checkpoints: app.runs.checkpoints(run.id) };
}) satisfies PageServerLoad;
