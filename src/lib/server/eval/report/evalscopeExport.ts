import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalReport } from '$lib/shared/eval';

/**
 * A report as EvalScope writes it (`reports/<model>/<dataset>.json`): `name, dataset_name, model_name, score,
 * metrics[]`, a metric `{name, num, score, macro_score, categories[]}`, a category `{name: [..], num, score,
 * macro_score, subsets[]}`, a subset `{name, score, num}`, scores rounded to 4 places as EvalScope's
 * `normalize_score` does. EvalScope's viewer and `Report.from_json` read the result as one of their own.
 */

export interface EvalScopeSubset {
	name: string;
	score: number;
	num: number;
}
export interface EvalScopeCategory {
	name: string[];
	num: number;
	score: number;
	macro_score: number;
	subsets: EvalScopeSubset[];
}
export interface EvalScopeMetric {
	name: string;
	num: number;
	score: number;
	macro_score: number;
	categories: EvalScopeCategory[];
}
export interface EvalScopeReport {
	name: string;
	dataset_name: string;
	dataset_pretty_name: string;
	dataset_description: string;
	model_name: string;
	/** The first metric's score, as EvalScope sets it. */
	score: number;
	/** Samples under the first metric. */
	num: number;
	metrics: EvalScopeMetric[];
	analysis: string;
	perf_metrics: null;
}

/** EvalScope's `normalize_score`: 4 decimal places. */
const round4 = (value: number) => Number(value.toFixed(4));

export function toEvalScopeReport(report: EvalReport): EvalScopeReport {
	const metrics = report.metrics.map((metric) => ({
		name: metric.name,
		num: metric.num,
		score: round4(metric.score),
		macro_score: round4(metric.macroScore),
		categories: metric.categories.map((category) => ({
			name: [...category.name],
			num: category.num,
			score: round4(category.score),
			macro_score: round4(category.macroScore),
			subsets: category.subsets.map((subset) => ({ name: subset.name, score: round4(subset.score), num: subset.num }))
		}))
	}));
	return {
		name: report.name,
		dataset_name: report.dataset,
		dataset_pretty_name: report.dataset,
		dataset_description: report.metrics.map((m) => `${m.name}: ${m.convention}`).join('\n'),
		model_name: report.model,
		score: metrics[0]?.score ?? 0,
		num: metrics[0]?.num ?? 0,
		metrics,
		analysis: 'N/A',
		perf_metrics: null
	};
}

/** A name safe as one path segment: separators and leading dots become underscores. */
export function pathSegment(name: string): string {
	const safe = Array.from(name, (c) => (c.charCodeAt(0) < 0x20 || '/\\:*?"<>|'.includes(c) ? '_' : c))
		.join('')
		.replace(/^\.+/, '_');
	return safe.length > 0 ? safe : '_';
}

/** The report's path inside an EvalScope output folder. */
export function evalScopeReportPath(report: Pick<EvalReport, 'model' | 'dataset'>): string {
	return join('reports', pathSegment(report.model), `${pathSegment(report.dataset)}.json`);
}

/** Writes `<outputDir>/reports/<model>/<dataset>.json` (indented, non-ASCII kept, as EvalScope writes) and returns its path. */
export async function writeEvalScopeReport(outputDir: string, report: EvalReport): Promise<string> {
	const path = join(outputDir, evalScopeReportPath(report));
	await mkdir(join(path, '..'), { recursive: true });
	await writeFile(path, `${JSON.stringify(toEvalScopeReport(report), null, 4)}\n`, 'utf8');
	return path;
}
