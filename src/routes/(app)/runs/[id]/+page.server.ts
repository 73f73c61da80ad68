import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { findRun } from '$lib/server/runs/findRun';
import { resumeCommand } from '$lib/server/runs/resumeCommand';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const app = appContext();
	const run = findRun(app.runs, params.id);
	if (!run) error(404, { code: 'not_found', message: `No run "${params.id}".` });
	const checkpoints = app.runs.checkpoints(run.id);
	const models = app.models.list();
	// The run's checkpoints that are registry models (what an eval loads), and the evals of this run.
	const checkpointModels = models.filter((m) => m.kind === 'checkpoint' && m.runId === run.id && m.step !== null).map((m) => ({ id: m.id, step: m.step as number })).sort((a, b) => a.step - b.step);
	const evals = app.evals.list().filter((e) => e.runId === run.id);
	return { run, checkpoints, resume: resumeCommand(run, checkpoints, models), checkpointModels, evals };
}) satisfies PageServerLoad;
