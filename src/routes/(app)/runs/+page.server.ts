import { appContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';
import { toPublicRun } from '$lib/shared/run/publicRun';

export const load = (() => {
	const app = appContext();
	// Running first, then the queue in the order it will run, then finished runs, newest first.
	const queueOrder = new Map(app.jobs.list().filter((j) => j.status === 'queued').map((job, index) => [job.id, index]));
	const rank = (run: { status: string; jobId: string | null }) =>
		run.status === 'running' ? -1 : run.status === 'queued' ? (queueOrder.get(run.jobId ?? '') ?? 0) : Number.MAX_SAFE_INTEGER;
	const runs = app.runs
		.list()
		.map(toPublicRun)
		.map(({ config, ...run }) => ({ ...run, model: config.model, tuner: config.tuner_type, rlhf: config.rlhf_type }))
		.sort((a, b) => rank(a) - rank(b) || b.createdAt - a.createdAt);
	return { runs };
}) satisfies PageServerLoad;
