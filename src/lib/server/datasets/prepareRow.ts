import type { DatasetFormat } from '../../shared/dataset';
import { convertRow } from './convertRow';
import { measureRow, type RowMeasure } from './datasetStats';
import { hasLabel, hasRejected } from './preferenceRules';
import type { RowProblem } from './rowProblem';
import { validateRow, type RowLimits } from './validateRow';

/**
 * The part of a row's import that needs nothing but the row itself (convert, validate, measure, and
 * serialise), so it can run on any thread. Rows with media or preference fields need the disk or the
 * whole dataset's context and are handed back for the main import to finish.
 */

export type PreparedRow =
	| { type: 'stored'; format: DatasetFormat; json: string; measure: RowMeasure }
	| { type: 'problems'; format: DatasetFormat | null; problems: RowProblem[] }
	| { type: 'deferred' };

export function prepareTextRow(value: Record<string, unknown>, text: string, limits: RowLimits): PreparedRow {
	const { format, row, problems, unchanged } = convertRow(value);
	if (format === null) return { type: 'problems', format, problems };
	const needsContext =
		row.images !== undefined || row.audios !== undefined || row.videos !== undefined || row.rejected_images !== undefined || hasRejected(row) || hasLabel(row) || value.label !== undefined;
	if (needsContext) return { type: 'deferred' };
	problems.push(...validateRow(row, limits));
	if (problems.length > 0) return { type: 'problems', format, problems };
	return { type: 'stored', format, json: unchanged ? text : JSON.stringify(row), measure: measureRow(row) };
}
