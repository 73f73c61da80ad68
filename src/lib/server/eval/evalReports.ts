import type { EvalReport } from '../../shared/eval';
import type { EvalRecord } from '../../shared/evalJob';
import { readSwiftEvalReport } from '../engines/swift/swiftEvalReport';
import type { EvalFiles } from './evalFiles';
import { scorePredictions } from './evalScoring';

/** A finished eval's report and how many samples it scored. */
export interface FinishedReport {
	report: EvalReport;
	samples: number;
}

/** The console's own eval (built-in engine or endpoint): its saved predictions, scored with the chosen metrics. */
export function scoredReport(record: EvalRecord, files: EvalFiles): FinishedReport {
	const predictions = files.readPredictions();
	const report = scorePredictions(predictions, {
		name: record.name,
		model: record.modelName,
		dataset: record.datasetName,
		metrics: record.config && 'metrics' in record.config ? record.config.metrics : ['accuracy'],
		createdAt: new Date(record.createdAt).toISOString()
	});
	return { report, samples: predictions.length };
}

/** A `swift eval`: its EvalScope reports (and eval_result.jsonl) read as one report. */
export async function swiftReport(record: EvalRecord, files: EvalFiles): Promise<FinishedReport> {
	const config = record.config && 'eval_dataset' in record.config ? record.config : null;
	if (!config) throw new Error('the eval has no swift eval request');
	const report = await readSwiftEvalReport(files.swiftOutput, {
		name: record.name,
		model: record.modelName,
		backend: config.eval_backend,
		datasets: config.eval_dataset,
		createdAt: new Date(record.createdAt).toISOString()
	});
	return { report, samples: report.metrics.reduce((sum, m) => sum + m.num, 0) };
}
