import type { StreamEvent } from '../../shared/realtime';
import type { ReplaySource } from './memoryStream';

/** One replay in flight; a newer subscribe to the same stream (or an unsubscribe) cancels it. */
export interface ReplayTicket {
	cancelled: boolean;
}

export interface ReplayTarget {
	/** Sends one page to the client. */
	send(events: StreamEvent[]): void;
	/** Starts live delivery; called in the same synchronous block as the read of the last page. */
	goLive(): void;
	/** Resolves true once the client has taken what was sent; false when it went away. */
	drained(): Promise<boolean>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export type ReplayOutcome = { done: true; replayed: number } | { done: false; replayed: number };

/**
 * Replays a stream from `afterSeq` one page at a time: read a page, send it, wait until the client has
 * taken it, read the next. At most one page is held in memory, however long the history, and a slow
 * or hostile reader slows only its own replay. When a page comes back short the history is caught up:
 * live delivery starts in the same synchronous block, so no event can fall between the last page and
 * the first live one (an overlap at the edge is dropped by the client's sequence check).
 */
export async function replayInPages(source: ReplaySource, afterSeq: number, pageSize: number, target: ReplayTarget, ticket: ReplayTicket): Promise<ReplayOutcome> {
	let cursor = afterSeq;
	let replayed = 0;
	for (;;) {
		// Each page in its own turn of the event loop: other requests run between pages, and a burst
		// of subscribes to one stream supersede each other before any of them reads a page.
		await nextTurn();
		if (ticket.cancelled) return { done: false, replayed };
		const page = source.replay(cursor, pageSize);
		const caughtUp = page.length < pageSize;
		if (caughtUp) target.goLive();
		if (page.length) {
			target.send(page);
			replayed += page.length;
			cursor = page[page.length - 1].seq;
		}
		if (caughtUp) return { done: true, replayed };
		if (!(await target.drained())) return { done: false, replayed };
	}
}
