import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { exportReport } from '$lib/server/eval/evalSamples';

/** `?format=evalscope|csv`: the report as EvalScope's report JSON, or one CSV row per sample. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const report = app.evals.report(event.params.id);
	if (!report) throw new HttpError('conflict', 'The eval has no report yet.');
	return exportReport(report, event.url.searchParams.get('format') ?? 'evalscope');
});
