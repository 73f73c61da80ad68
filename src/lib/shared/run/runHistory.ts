import type { StreamEvent } from '../realtime';

/** Events per `GET /api/runs/:id/metrics` answer, by default and at most: one answer never holds a whole long run. */
export const RUN_HISTORY_PAGE = 5000;

/** One page of a run's event history, oldest first. */
export interface RunHistoryPage {
	events: StreamEvent[];
	/** The sequence number of the last event given (or the `after` asked for when none were). */
	lastSeq: number;
	/** Where the next page starts (`?after=`), or null when this page reached the end of the history. */
	nextAfter: number | null;
}
