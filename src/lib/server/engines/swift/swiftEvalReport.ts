import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EvalMetric, EvalReport } from '../../../shared/eval';
import { importEvalScopeFolder } from '../../eval/report/evalscopeImport';
import { importSwiftEvalResults } from '../../eval/report/swiftImport';

/**
 * What `swift eval` left in an eval's folder, as the eval's one report, read by the same parsers as an
 * uploaded report: EvalScope's `reports/<model>/<dataset>.json` (metrics, categories and subsets) under
 * each timestamped run folder, and ms-swift's `eval_result.jsonl` for a dataset with no EvalScope report
 * (the OpenCompass and VLMEvalKit backends write only the scores there). Several datasets make one report
 * whose metrics are named per dataset (`gsm8k/AverageAccuracy`), each with its own categories.
 */

export interface SwiftEvalReportMeta {
	name: string;
	/** The registry's name of the model, shown instead of ms-swift's folder name. */
	model: string;
	backend: string;
	datasets: readonly string[];
	createdAt: string;
}

/** Folders under `dir` (at most `depth` levels down) that hold a `reports/` folder. */
async function runFolders(dir: string, depth: number): Promise<string[]> {
	const found: string[] = [];
	let entries;
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch {
		return found;
	}
	if (entries.some((e) => e.isDirectory() && e.name === 'reports')) found.push(dir);
	if (depth > 0) for (const entry of entries.filter((e) => e.isDirectory() && e.name !== 'reports')) found.push(...(await runFolders(path.join(dir, entry.name), depth - 1)));
	return found.sort();
}

async function exists(file: string): Promise<boolean> {
	return stat(file).then(
		() => true,
		() => false
	);
}

/** Every per-dataset report, the latest run's first where a dataset was evaluated twice in the folder. */
async function datasetReports(outputDir: string): Promise<EvalReport[]> {
	const byDataset = new Map<string, EvalReport>();
	for (const run of (await runFolders(outputDir, 3)).reverse()) {
		const { reports, errors } = await importEvalScopeFolder(run);
		// Each message starts with the report's file, relative to its run folder.
		if (errors.length > 0) throw new Error(errors.map((e) => `${path.relative(outputDir, run) || '.'}/${e.message}`).join('; '));
		for (const report of reports) if (!byDataset.has(report.dataset)) byDataset.set(report.dataset, report);
	}
	const results = path.join(outputDir, 'eval_result.jsonl');
	if (await exists(results)) {
		// Later lines are later runs: the last score of a dataset wins.
		for (const report of (await importSwiftEvalResults(results, 'eval_result.jsonl')).reverse()) if (!byDataset.has(report.dataset)) byDataset.set(report.dataset, report);
	}
	return [...byDataset.values()];
}

function named(metric: EvalMetric, dataset: string, several: boolean): EvalMetric {
	return several ? { ...metric, name: `${dataset}/${metric.name}` } : metric;
}

export async function readSwiftEvalReport(outputDir: string, meta: SwiftEvalReportMeta): Promise<EvalReport> {
	const found = await datasetReports(outputDir);
	const reports = meta.datasets.map((dataset) => found.find((r) => r.dataset === dataset)).filter((r): r is EvalReport => r !== undefined);
	const missing = meta.datasets.filter((dataset) => !found.some((r) => r.dataset === dataset));
	if (reports.length === 0) throw new Error(`swift eval finished without results: no reports/<model>/<dataset>.json or eval_result.jsonl for ${missing.join(', ')} in its output folder.`);
	if (missing.length > 0) throw new Error(`swift eval finished without results for ${missing.join(', ')}.`);
	const several = reports.length > 1;
	return {
		name: meta.name,
		model: meta.model,
		dataset: meta.datasets.join(', '),
		source: 'ms-swift',
		backend: meta.backend,
		createdAt: meta.createdAt,
		metrics: reports.flatMap((report) => report.metrics.map((metric) => named(metric, report.dataset, several))),
		samples: [],
		latency: null
	};
}
