import type { EvalReport } from '$lib/shared/eval';

/**
 * A report as CSV (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break quoted,
 * quotes doubled), one table per sample and one per breakdown bucket. Text cells that a spreadsheet would run
 * as a formula (starting with = + - @, tab or carriage return) get a leading apostrophe, since predictions are
 * model output; numbers are written as they are.
 */

type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
	return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** One row per sample: place, tags, modalities, texts, the extracted answer and every metric's score. */
export function samplesCsv(report: EvalReport): string {
	const tagKeys = [...new Set(report.samples.flatMap((s) => Object.keys(s.tags)))].sort();
	const metricNames = report.metrics.map((m) => m.name);
	const header = ['index', 'category', 'subset', 'modalities', ...tagKeys.map((k) => `tag:${k}`), 'prediction', 'references', 'extracted', ...metricNames];
	const rows = report.samples.map((s) => [
		s.index,
		s.category.join('/'),
		s.subset,
		s.modalities.join('+'),
		...tagKeys.map((k) => s.tags[k] ?? null),
		s.prediction,
		// References as a JSON list, so several of them (and any separator inside one) survive the round trip.
		JSON.stringify(s.references),
		s.extracted,
		...metricNames.map((name) => s.scores[name] ?? null)
	]);
	return toCsv([header, ...rows]);
}

/** One row per metric x breakdown bucket (modality, tag:<key>), plus each metric's overall row. */
export function breakdownsCsv(report: EvalReport): string {
	const header = ['metric', 'by', 'value', 'num', 'score', 'macro_score', 'corpus_score'];
	const rows = report.metrics.flatMap((metric) => [
		[metric.name, 'overall', '', metric.num, metric.score, metric.macroScore, metric.corpusScore],
		...metric.breakdowns.flatMap((breakdown) => breakdown.buckets.map((b) => [metric.name, breakdown.by, b.value, b.num, b.score, b.macroScore, null]))
	]);
	return toCsv([header, ...rows]);
}
