import { datasetStatsSchema } from '../../shared/dataset';
import type { EvalRequest, EvalRowSelection } from '../../shared/evalJob';
import type { RunRecord } from '../../shared/run/runRecord';
import { validationRowIndices } from '../datasets/split';
import type { DatasetsRepository } from '../db/datasets';
import { HttpError } from '../http/httpError';

/** The dataset and the rows an eval asks: a run's own held-out split when the request names a run, else the dataset's. */
export function evalRowsFor(request: EvalRequest, run: RunRecord | null, datasets: DatasetsRepository): { datasetId: string; selection: EvalRowSelection } {
	if (run && !request.dataset) {
		if (request.split !== 'all' && run.config.val_dataset) return { datasetId: run.config.val_dataset, selection: { method: 'all' } };
		if (request.split === 'all') return { datasetId: run.config.dataset, selection: { method: 'all' } };
		return { datasetId: run.config.dataset, selection: { method: 'run-shuffle', part: request.split, ratio: run.config.split_dataset_ratio, seed: run.config.seed } };
	}
	if (!request.dataset) throw new HttpError('invalid_request', 'Choose a dataset to evaluate on.', { dataset: 'Required' });
	if (request.split === 'all') return { datasetId: request.dataset, selection: { method: 'all' } };
	const dataset = datasets.get(request.dataset);
	if (!dataset) throw new HttpError('invalid_request', `No dataset "${request.dataset}".`, { dataset: 'Unknown dataset' });
	const stats = datasetStatsSchema.safeParse(dataset.stats);
	const split = stats.success ? stats.data.split : { ratio: 0.01, seed: 42 };
	const held = validationRowIndices(dataset.rowCount, split);
	let rows = held;
	if (request.split === 'train') {
		const heldSet = new Set(held);
		rows = Array.from({ length: dataset.rowCount }, (_, i) => i).filter((i) => !heldSet.has(i));
	}
	if (rows.length === 0) throw new HttpError('invalid_request', `Dataset "${dataset.name}" holds no ${request.split} rows; choose split "all" or re-split it.`, { split: 'Empty split' });
	if (request.limit > 0) rows = rows.slice(0, request.limit);
	return { datasetId: request.dataset, selection: { method: 'rows', rows } };
}
