import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { findRun } from '$lib/server/runs/findRun';
import { resumeCommand } from '$lib/server/runs/resumeCommand';
import type { PageServerLoad } from './$types';
import { toPublicCheckpoint, toPublicRun } from '$lib/shared/run/publicRun';

export const load = (({ params }) => {
	const app = appContext();
	const run = findRun(app.runs, params.id);
	if (!run) error(404, { code: 'not_found', message: `No run "${params.id}".` });
	const checkpoints = app.runs.checkpoints(run.id);
	return { run: toPublicRun(run), checkpoints: checkpoints.map(toPublicCheckpoint), resume: resumeCommand(run, checkpoints, app.models.list()) };
}) satisfies PageServerLoad;
