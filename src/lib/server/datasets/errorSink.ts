import type { DatasetError, DatasetErrorKind } from '../../shared/dataset';
import type { DatasetStore } from './store';

/**
 * Every error goes to errors.jsonl on disk; only the first few are kept in memory for the immediate
 * answer, so a file where every row is broken cannot exhaust memory.
 */
export class ErrorSink {
	readonly firstErrors: DatasetError[] = [];
	readonly byKind: Partial<Record<DatasetErrorKind, number>> = {};
	count = 0;

	constructor(
		private readonly store: DatasetStore,
		private readonly keepInMemory: number
	) {}

	add(error: DatasetError): Promise<void> | undefined {
		this.count++;
		this.byKind[error.kind] = (this.byKind[error.kind] ?? 0) + 1;
		if (this.firstErrors.length < this.keepInMemory) this.firstErrors.push(error);
		return this.store.writeError(error);
	}
}
