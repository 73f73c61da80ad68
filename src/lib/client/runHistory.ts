import type { StreamEvent } from '$lib/shared/realtime';
import type { RunHistoryPage } from '$lib/shared/run/runHistory';

/** Reads one page of history; the run page passes the API client, tests a stand-in server. */
export type FetchHistoryPage = (path: string) => Promise<RunHistoryPage>;

/**
 * Reads a run's whole event history after `afterSeq`, page by page in order, handing each page to
 * `onPage` as it arrives (charts fill as they load) and returning the sequence number it reached.
 * Stops early, between pages, once `cancelled()` says so (the page was left).
 */
export async function readRunHistory(
	runId: string,
	fetchPage: FetchHistoryPage,
	onPage: (events: StreamEvent[]) => void,
	options: { afterSeq?: number; cancelled?: () => boolean } = {}
): Promise<number> {
	let after: number | null = options.afterSeq ?? 0;
	let reached = after;
	while (after !== null && !options.cancelled?.()) {
		const page = await fetchPage(`/api/runs/${encodeURIComponent(runId)}/metrics?after=${after}`);
		onPage(page.events);
		reached = page.lastSeq;
		// A server that answers without progress would loop forever: stop there instead.
		after = page.nextAfter !== null && page.nextAfter > after ? page.nextAfter : null;
	}
	return reached;
}
