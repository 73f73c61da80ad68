import { readFile, stat } from 'node:fs/promises';
import type { EvalMetric, EvalReport } from '$lib/shared/eval';
import { guessRange, parseEvalScopeReport } from './evalscopeImport';
import { FieldReader, ReportImportError, isObject, type JsonObject } from './importFields';

/**
 * ms-swift's `eval_result.jsonl` -> internal reports. `swift eval` appends one line per run:
 * `{<backend>: {<dataset>: {<metric>: score}}, time, model, adapters, result_path, eval_output_dir, eval_limit}`
 * with backend `Native`, `OpenCompass` or `VLMEvalKit` (older versions wrote `opencompass`/`vlmeval`). Each
 * backend x dataset becomes one report with one category and subset per metric; the sample count is unknown
 * (0). Also read: a dataset's value as a bare score, a score nested as `{Overall: x}` (older VLMEvalKit
 * results), and a Native backend's value as a list of EvalScope report objects.
 */

/** The run's fields beside the backends. */
const RUN_FIELDS = new Set(['time', 'model', 'adapters', 'result_path', 'eval_output_dir', 'eval_limit', 'live_code_bench_sample_csv']);
const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** ms-swift's `time` is `YYYYMMDD-HHMMSS` local time; read as such, else null. */
function isoTime(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})$/.exec(value);
	return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : null;
}

function modelName(r: FieldReader, line: JsonObject): string {
	const model = line.model === undefined || line.model === null ? 'unknown model' : r.string(line.model, 'model');
	const adapters = line.adapters === undefined || line.adapters === null ? [] : r.array(line.adapters, 'adapters').map((a, i) => r.string(a, `adapters[${i}]`));
	return adapters.length > 0 ? `${model} + ${adapters.join(' + ')}` : model;
}

function scoreOf(r: FieldReader, value: unknown, field: string): number {
	if (isObject(value) && typeof value.Overall === 'number') return r.number(value.Overall, `${field}.Overall`);
	return r.number(value, field);
}

function metricFrom(name: string, score: number, backend: string): EvalMetric {
	return {
		name,
		convention: `${backend} ${name} as ms-swift recorded it (sample count not recorded)`,
		range: guessRange([score]),
		higherIsBetter: true,
		num: 0,
		score,
		macroScore: score,
		corpusScore: null,
		categories: [{ name: ['default'], num: 0, score, macroScore: score, subsets: [{ name: 'default', num: 0, score }] }],
		breakdowns: []
	};
}

function reportsOfLine(r: FieldReader, line: JsonObject, lineNo: number): EvalReport[] {
	const model = modelName(r, line);
	const createdAt = isoTime(line.time);
	const reports: EvalReport[] = [];
	const backends = Object.keys(line).filter((key) => !RUN_FIELDS.has(key));
	if (backends.length === 0) r.fail(null, `line ${lineNo} has no backend results (expected a key such as "Native")`);
	for (const backend of backends) {
		const field = `line ${lineNo}: ${backend}`;
		const value = line[backend];
		if (Array.isArray(value)) {
			value.forEach((item, i) => reports.push({ ...parseEvalScopeReport(item, `${r.file} ${field}[${i}]`, { model }), backend, source: 'ms-swift', createdAt }));
			continue;
		}
		for (const [dataset, result] of Object.entries(r.object(value, field))) {
			const metrics = isObject(result)
				? Object.entries(result).map(([metric, score]) => metricFrom(metric, scoreOf(r, score, `${field}.${dataset}.${metric}`), backend))
				: [metricFrom('score', r.number(result, `${field}.${dataset}`), backend)];
			if (metrics.length === 0) r.fail(`${field}.${dataset}`, 'has no metrics');
			reports.push({ name: `${backend}/${dataset}`, model, dataset, source: 'ms-swift', backend, createdAt, metrics, samples: [], latency: null });
		}
	}
	return reports;
}

/** Every report in the text of an `eval_result.jsonl`; `file` names it in errors. Blank lines are skipped. */
export function parseSwiftEvalResults(text: string, file: string): EvalReport[] {
	const r: FieldReader = new FieldReader(file);
	const reports: EvalReport[] = [];
	text.split(/\r?\n/).forEach((raw, index) => {
		if (raw.trim().length === 0) return;
		let data: unknown;
		try {
			data = JSON.parse(raw);
		} catch (error) {
			r.fail(null, `line ${index + 1} is not valid JSON (${(error as Error).message})`);
		}
		reports.push(...reportsOfLine(r, r.object(data, `line ${index + 1}`), index + 1));
	});
	if (reports.length === 0) r.fail(null, 'holds no eval results');
	return reports;
}

/** Reads and parses an `eval_result.jsonl` file. */
export async function importSwiftEvalResults(path: string, file = path): Promise<EvalReport[]> {
	const size = await stat(path).then(
		(s) => s.size,
		() => {
			throw new ReportImportError(file, null, 'cannot be read');
		}
	);
	if (size > MAX_RESULTS_BYTES) throw new ReportImportError(file, null, `is ${size} bytes, larger than an eval_result.jsonl can be (${MAX_RESULTS_BYTES})`);
	return parseSwiftEvalResults(await readFile(path, 'utf8'), file);
}
