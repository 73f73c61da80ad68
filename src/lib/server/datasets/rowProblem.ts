import type { DatasetErrorKind } from '../../shared/dataset';

/** A problem found in one row; the pipeline adds the file and line to make a DatasetError. */
export interface RowProblem {
	kind: DatasetErrorKind;
	/** e.g. `messages[2].content`; null for the whole row. */
	field: string | null;
	message: string;
}

export function problem(kind: DatasetErrorKind, field: string | null, message: string): RowProblem {
	return { kind, field, message };
}
