import { apiRoute } from '$lib/server/http/api';
import { queryInt } from '$lib/server/http/queryNumber';

/** `?offset=&limit=&q=`: a page of rows with their row numbers; `q` searches the rows' text. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const offset = queryInt(event.url, 'offset', 0);
	const limit = queryInt(event.url, 'limit', 50, 500);
	return app.datasetCatalog.rows(event.params.id, offset, limit, event.url.searchParams.get('q') ?? undefined);
});
