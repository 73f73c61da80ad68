import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { RUN_HISTORY_PAGE, type RunHistoryPage } from '$lib/shared/run/runHistory';

function wholeNumber(params: URLSearchParams, name: string, fallback: number, min: number): number {
	const raw = params.get(name) ?? String(fallback);
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) throw new HttpError('invalid_request', `"${name}" must be a whole number of at least ${min}, got "${raw}".`, { [name]: 'Not a whole number' });
	return value;
}

/**
 * One page of the run's event history after `?after=SEQ` (default 0): metrics, logs, checkpoints and
 * status changes, at most `?limit=` (default and most: RUN_HISTORY_PAGE) of them; `nextAfter` continues.
 */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }): RunHistoryPage => {
	const after = wholeNumber(event.url.searchParams, 'after', 0, 0);
	const limit = Math.min(wholeNumber(event.url.searchParams, 'limit', RUN_HISTORY_PAGE, 1), RUN_HISTORY_PAGE);
	const { events, more } = app.runs.historyPage(event.params.id, after, limit);
	const lastSeq = events.at(-1)?.seq ?? after;
	return { events, lastSeq, nextAfter: more ? lastSeq : null };
});
