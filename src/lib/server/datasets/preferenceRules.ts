import type { DatasetPurpose, StandardRow } from '../../shared/dataset';
import { PositionLog } from './positionLog';
import { problem, type RowProblem } from './rowProblem';

/**
 * Preference data (DPO and its kin need a rejected answer; KTO needs a true/false label) must be
 * consistent across the whole dataset. When the purpose is declared every row is checked at once. With
 * `auto`, the dataset counts as preference data as soon as one row carries such fields; rows stored
 * before that was known are remembered here so they can be reported and dropped at the end.
 */

export type PreferenceMode = 'sft' | 'dpo' | 'kto';

const HAS_REJECTED = 1;
const HAS_LABEL = 2;

export function hasRejected(row: StandardRow): boolean {
	return row.rejected_response !== undefined || row.rejected_messages !== undefined;
}

export function hasLabel(row: StandardRow): boolean {
	return row.label !== undefined;
}

const MISSING_REJECTED = 'This row has no rejected_response (or rejected_messages), but the dataset is preference data (DPO, ORPO, SimPO, CPO, RM), which needs one in every row.';
const MISSING_LABEL = 'This row has no label, but the dataset is KTO data, which needs "label": true or false in every row.';

export interface LateProblem {
	fileIndex: number;
	line: number;
	problem: RowProblem;
}

export class PreferenceRules {
	private seenRejected = false;
	private seenLabel = false;
	private readonly undecided = new PositionLog();

	constructor(private readonly purpose: DatasetPurpose) {}

	/** The mode the rows so far imply (or the declared one). */
	get mode(): PreferenceMode {
		if (this.purpose === 'dpo' || this.purpose === 'kto' || this.purpose === 'sft') return this.purpose;
		return this.seenRejected ? 'dpo' : this.seenLabel ? 'kto' : 'sft';
	}

	/** The problem with this row under what is known now; null when it may be stored. */
	check(row: StandardRow): RowProblem | null {
		const rejected = hasRejected(row);
		const label = hasLabel(row);
		if (this.purpose === 'auto') {
			this.seenRejected ||= rejected;
			this.seenLabel ||= label;
		}
		const mode = this.mode;
		if (mode === 'dpo' && !rejected) return problem('dpo_missing_rejected', 'rejected_response', MISSING_REJECTED);
		if (mode === 'kto' && !label) return problem('dpo_missing_rejected', 'label', MISSING_LABEL);
		return null;
	}

	/** Call for each stored row: with `auto`, rows that the final mode might still refuse are remembered. */
	noteStored(row: StandardRow, fileIndex: number, line: number): void {
		if (this.purpose !== 'auto' || this.seenRejected) return;
		this.undecided.push(fileIndex, line, (hasRejected(row) ? HAS_REJECTED : 0) | (hasLabel(row) ? HAS_LABEL : 0));
	}

	/** Rows stored before the final mode was known that it refuses; empty when none. */
	*lateProblems(): Generator<LateProblem> {
		const mode = this.mode;
		if (mode === 'sft' || this.purpose !== 'auto') return;
		const needed = mode === 'dpo' ? HAS_REJECTED : HAS_LABEL;
		for (const { fileIndex, line, flags } of this.undecided.entries()) {
			if ((flags & needed) !== 0) continue;
			yield {
				fileIndex,
				line,
				problem: mode === 'dpo' ? problem('dpo_missing_rejected', 'rejected_response', MISSING_REJECTED) : problem('dpo_missing_rejected', 'label', MISSING_LABEL)
			};
		}
	}

	/** Whether a stored row belongs in the final dataset. */
	keeps(row: StandardRow): boolean {
		const mode = this.mode;
		return mode === 'sft' || (mode === 'dpo' ? hasRejected(row) : hasLabel(row));
	}
}
