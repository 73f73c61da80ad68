import type { EvalReport } from '../../shared/eval';
import type { EvalSampleView, EvalSamplesQuery } from '../../shared/evalJob';
import { HttpError } from '../http/httpError';
import { samplesCsv } from './report/csv';
import { toEvalScopeReport } from './report/evalscopeExport';

/**
 * The per-sample table's filters: pass/fail against a threshold on one metric (the report's first by
 * default), a tag (`key=value`, `modality=audio` included) and a case-insensitive text search over the
 * prompt, the prediction and the references; then a page.
 */
export function filterSamples(report: EvalReport, samples: readonly EvalSampleView[], query: EvalSamplesQuery): { samples: EvalSampleView[]; total: number } {
	const metric = query.metric ?? report.metrics[0]?.name;
	if (query.metric && !report.metrics.some((m) => m.name === query.metric)) throw new HttpError('invalid_request', `The report has no metric "${query.metric}".`, { metric: 'Unknown metric' });
	let tag: [string, string] | null = null;
	if (query.tag) {
		const at = query.tag.indexOf('=');
		if (at <= 0) throw new HttpError('invalid_request', 'A tag filter is key=value, e.g. question_type=image_shape or modality=audio.', { tag: 'key=value' });
		tag = [query.tag.slice(0, at), query.tag.slice(at + 1)];
	}
	const needle = query.q?.trim().toLowerCase() ?? '';
	const kept = samples.filter((s) => {
		if (query.outcome !== 'all' && metric) {
			const score = s.scores[metric];
			if (score === undefined) return false;
			const passed = score >= query.threshold;
			if (passed !== (query.outcome === 'pass')) return false;
		}
		if (tag) {
			const [key, value] = tag;
			if (key === 'modality' ? !s.modalities.includes(value) : s.tags[key] !== value) return false;
		}
		if (needle && ![s.prompt, s.prediction, ...s.references].some((text) => text.toLowerCase().includes(needle)) && String(s.index) !== needle) return false;
		return true;
	});
	return { samples: kept.slice(query.offset, query.offset + query.limit), total: kept.length };
}

export const exportFormats = ['evalscope', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'report';

/** A report as a download: EvalScope's report JSON, or the per-sample CSV. */
export function exportReport(report: EvalReport, format: string): Response {
	if (format === 'evalscope') {
		return new Response(JSON.stringify(toEvalScopeReport(report), null, 2), {
			headers: { 'content-type': 'application/json', 'content-disposition': `attachment; filename="${fileSafe(report.dataset)}.json"` }
		});
	}
	if (format === 'csv') {
		return new Response(samplesCsv(report), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileSafe(report.name)}.csv"` } });
	}
	throw new HttpError('invalid_request', `Unknown export format "${format}"; use evalscope or csv.`, { format: 'evalscope or csv' });
}
