import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { HttpError } from '$lib/server/http/httpError';
import type { PageServerLoad } from './$types';

export const load = (({ params }) => {
	const app = appContext();
	try {
		const record = app.evals.get(params.id);
		const report = app.evals.report(params.id);
		// The page reads samples through the paged API; here only each metric's scores for the distributions.
		const scores = report ? Object.fromEntries(report.metrics.map((m) => [m.name, report.samples.flatMap((s) => (m.name in s.scores ? [s.scores[m.name]] : []))])) : {};
		return { record, report: report ? { ...report, samples: [] } : null, scores };
	} catch (e) {
		if (HttpError.is(e)) error(404, { code: 'not_found', message: e.message });
		throw e;
	}
}) satisfies PageServerLoad;
