import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';

/** The run's event history after `?after=SEQ` (default 0): metrics, logs, checkpoints and status changes. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const raw = event.url.searchParams.get('after') ?? '0';
	const after = Number(raw);
	if (!Number.isInteger(after) || after < 0) throw new HttpError('invalid_request', `"after" must be a sequence number, got "${raw}".`, { after: 'Not a sequence number' });
	const events = app.runs.metricsAfter(event.params.id, after);
	return { events, lastSeq: events.at(-1)?.seq ?? after };
});
