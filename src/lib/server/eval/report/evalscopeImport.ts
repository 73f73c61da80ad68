import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { EvalCategory, EvalMetric, EvalReport, EvalScoreRange, EvalSubset } from '$lib/shared/eval';
import { FieldReader, ReportImportError, type JsonObject } from './importFields';

/**
 * EvalScope report JSON -> the internal report. Reads the current layout (metric -> categories -> subsets with
 * `num`, `score`, `macro_score`) and the looser older ones: a category name as a plain string, `category` and
 * `subset` for the lists, missing `num` or `macro_score` (recomputed), and the 0.x layout with one metric named
 * by a top-level `metric` string. Anything else fails with the file and the field named.
 */

const MAX_REPORT_BYTES = 16 * 1024 * 1024;
const LOWER_IS_BETTER = /loss|perplexity|ppl|latency|ttft|tpot|error|wer|cer/i;

/** A range that fits every number the report shows for a metric (EvalScope does not record one). */
export function guessRange(scores: readonly number[]): EvalScoreRange {
	if (scores.every((s) => s >= 0 && s <= 1)) return 'fraction';
	if (scores.every((s) => s >= 0 && s <= 100)) return 'percent';
	return 'positive';
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** Micro mean where sample counts are known; the macro mean where they are not. */
function microOr(items: readonly { num: number; score: number }[]): number {
	const num = items.reduce((sum, i) => sum + i.num, 0);
	return num > 0 ? items.reduce((sum, i) => sum + i.score * i.num, 0) / num : mean(items.map((i) => i.score));
}

function readSubset(r: FieldReader, value: unknown, field: string): EvalSubset {
	const subset = r.object(value, field);
	return {
		name: subset.name === undefined ? 'default' : r.string(subset.name, `${field}.name`),
		num: subset.num === undefined || subset.num === null ? 0 : r.count(subset.num, `${field}.num`),
		score: r.number(subset.score, `${field}.score`)
	};
}

function readCategoryName(r: FieldReader, value: unknown, field: string): string[] {
	if (value === undefined || value === null) return ['default'];
	if (typeof value === 'string') return [value];
	const parts = r.array(value, field).map((part, i) => r.string(part, `${field}[${i}]`));
	return parts.length > 0 ? parts : ['default'];
}

function readCategory(r: FieldReader, value: unknown, field: string): EvalCategory {
	const category = r.object(value, field);
	const list = r.pick(category, ['subsets', 'subset']);
	const subsets = list === null ? [] : r.array(list.value, `${field}.${list.key}`).map((s, i) => readSubset(r, s, `${field}.${list.key}[${i}]`));
	if (subsets.length === 0 && category.score === undefined) r.fail(field, 'has neither subsets nor a score');
	const num = category.num === undefined || category.num === null ? subsets.reduce((sum, s) => sum + s.num, 0) : r.count(category.num, `${field}.num`);
	const score = category.score === undefined ? microOr(subsets) : r.number(category.score, `${field}.score`);
	const macroScore =
		category.macro_score === undefined || category.macro_score === null ? (subsets.length > 0 ? mean(subsets.map((s) => s.score)) : score) : r.number(category.macro_score, `${field}.macro_score`);
	return { name: readCategoryName(r, category.name, `${field}.name`), num, score, macroScore, subsets };
}

function readMetric(r: FieldReader, metric: JsonObject, field: string, name: string): EvalMetric {
	const list = r.pick(metric, ['categories', 'category']);
	const categories = list === null ? [] : r.array(list.value, `${field}.${list.key}`).map((c, i) => readCategory(r, c, `${field}.${list.key}[${i}]`));
	if (categories.length === 0 && metric.score === undefined) r.fail(field, 'has neither categories nor a score');
	const numValue = metric.num ?? metric.total_num;
	const num = numValue === undefined || numValue === null ? categories.reduce((sum, c) => sum + c.num, 0) : r.count(numValue, `${field}.num`);
	const score = metric.score === undefined ? microOr(categories) : r.number(metric.score, `${field}.score`);
	const macroScore =
		metric.macro_score === undefined || metric.macro_score === null ? (categories.length > 0 ? mean(categories.map((c) => c.score)) : score) : r.number(metric.macro_score, `${field}.macro_score`);
	const shown = [score, ...categories.flatMap((c) => [c.score, ...c.subsets.map((s) => s.score)])];
	return {
		name,
		convention: `EvalScope ${name} as reported (scores rounded to 4 places)`,
		range: guessRange(shown),
		higherIsBetter: !LOWER_IS_BETTER.test(name),
		num,
		score,
		macroScore,
		corpusScore: null,
		categories,
		breakdowns: []
	};
}

/**
 * One parsed EvalScope report. `file` names it in errors; `fallback` fills a missing model or dataset name
 * from the report's place in the folder (`reports/<model>/<dataset>.json`).
 */
export function parseEvalScopeReport(data: unknown, file: string, fallback: { model?: string; dataset?: string } = {}): EvalReport {
	const r: FieldReader = new FieldReader(file);
	const root = r.object(data, null);
	const text = (key: string, otherwise: string | undefined) => (root[key] === undefined || root[key] === null ? (otherwise ?? r.fail(key, 'is missing')) : r.string(root[key], key));
	const dataset = text('dataset_name', fallback.dataset);
	const model = text('model_name', fallback.model);
	let metrics: EvalMetric[];
	if (root.metrics !== undefined) {
		metrics = r.array(root.metrics, 'metrics').map((m, i) => {
			const metric = r.object(m, `metrics[${i}]`);
			return readMetric(r, metric, `metrics[${i}]`, metric.name === undefined ? 'default_metric' : r.string(metric.name, `metrics[${i}].name`));
		});
	} else if (typeof root.metric === 'string') {
		// EvalScope 0.x: one metric named at the top, its categories beside it.
		metrics = [readMetric(r, root, '(top level)', root.metric)];
	} else {
		r.fail('metrics', 'is missing (neither `metrics` nor the older `metric` is present)');
	}
	if (metrics.length === 0) r.fail('metrics', 'is empty');
	return { name: text('name', `${model}@${dataset}`), model, dataset, source: 'evalscope', backend: 'Native', createdAt: null, metrics, samples: [], latency: null };
}

export interface ImportResult {
	reports: EvalReport[];
	/** Files that could not be read, each with the reason; the others still import. */
	errors: { file: string; message: string }[];
}

async function isDirectory(path: string): Promise<boolean> {
	return stat(path).then((s) => s.isDirectory(), () => false);
}

/**
 * Every report in an EvalScope output folder: `dir` may be the run folder (holding `reports/`) or the
 * `reports` folder itself. Reads `reports/<model>/<dataset>.json`; errors name the file relative to `dir`.
 */
export async function importEvalScopeFolder(dir: string): Promise<ImportResult> {
	const reportsDir = (await isDirectory(join(dir, 'reports'))) ? join(dir, 'reports') : dir;
	if (!(await isDirectory(reportsDir))) throw new ReportImportError(dir, null, 'is not a folder');
	const result: ImportResult = { reports: [], errors: [] };
	for (const model of (await readdir(reportsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
		const modelDir = join(reportsDir, model.name);
		for (const entry of (await readdir(modelDir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.json')).sort((a, b) => a.name.localeCompare(b.name))) {
			const path = join(modelDir, entry.name);
			const file = relative(dir, path) || basename(path);
			try {
				const size = (await stat(path)).size;
				if (size > MAX_REPORT_BYTES) throw new ReportImportError(file, null, `is ${size} bytes, larger than a report can be (${MAX_REPORT_BYTES})`);
				let data: unknown;
				try {
					data = JSON.parse(await readFile(path, 'utf8'));
				} catch (error) {
					throw new ReportImportError(file, null, `is not valid JSON (${(error as Error).message})`);
				}
				result.reports.push(parseEvalScopeReport(data, file, { model: model.name, dataset: entry.name.replace(/\.json$/, '') }));
			} catch (error) {
				if (!(error instanceof ReportImportError)) throw error;
				result.errors.push({ file, message: error.message });
			}
		}
	}
	if (result.reports.length === 0 && result.errors.length === 0) throw new ReportImportError(dir, null, 'holds no reports/<model>/<dataset>.json files');
	return result;
}
