import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { queryInt } from '$lib/server/http/queryNumber';

/** `?maxLength=N`: how many rows are longer than N tokens, counted exactly. */
export const GET = apiRoute<{ id: string }>('read', async ({ event, app }) => {
	const maxLength = queryInt(event.url, 'maxLength', 0, 1 << 30);
	if (maxLength < 1) throw new HttpError('invalid_request', '"maxLength" must be at least 1.', { maxLength: 'At least 1' });
	return app.datasetCatalog.overMaxLength(event.params.id, maxLength);
});
