import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { HttpError } from '$lib/server/http/httpError';
import { compareReports } from '$lib/shared/evalCompare';
import type { PageServerLoad } from './$types';

export const load = (({ url }) => {
	const app = appContext();
	const ids = (url.searchParams.get('ids') ?? '').split(',').filter(Boolean).slice(0, 5);
	const threshold = Number(url.searchParams.get('threshold') ?? 0.99);
	try {
		const entries = ids.flatMap((id) => {
			const record = app.evals.get(id);
			const report = app.evals.report(id);
			if (!report) return [];
			const rows = app.evals.sampleRows(id);
			return [{ record, report, keys: rows.length === report.samples.length ? rows : undefined }];
		});
		const label = (r: (typeof entries)[number]['record']) => `${r.modelName}${r.step !== null ? ` @${r.step}` : ''}`;
		return {
			evals: entries.map((e) => e.record),
			labels: entries.map((e) => label(e.record)),
			threshold: Number.isFinite(threshold) ? threshold : 0.99,
			comparison: compareReports(entries.map((e) => ({ label: label(e.record), report: e.report, keys: e.keys })), Number.isFinite(threshold) ? threshold : 0.99)
		};
	} catch (e) {
		if (HttpError.is(e)) error(404, { code: 'not_found', message: e.message });
		throw e;
	}
}) satisfies PageServerLoad;
