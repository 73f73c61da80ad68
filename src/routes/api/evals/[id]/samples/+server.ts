import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { evalSamplesQuerySchema } from '$lib/shared/evalJob';

/** `?offset&limit&outcome=pass|fail&threshold&metric&tag=key=value&q=text`: `{samples, total}`. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const query = evalSamplesQuerySchema.safeParse(Object.fromEntries(event.url.searchParams));
	if (!query.success) throw HttpError.fromZod(query.error, 'query');
	return app.evals.samples(event.params.id, query.data);
});
