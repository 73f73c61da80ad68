import { apiRoute } from '$lib/server/http/api';
import { queryInt } from '$lib/server/http/queryNumber';
import { errorCsvHeader, errorToCsvLine } from '$lib/server/datasets/errorsCsv';

/** `?offset=&limit=&kind=` pages the import problems; `?format=csv` downloads all of them. */
export const GET = apiRoute<{ id: string }>('read', async ({ event, app }) => {
	const id = event.params.id;
	if (event.url.searchParams.get('format') === 'csv') {
		const errors = app.datasetCatalog.allErrors(id);
		const body = new ReadableStream<string>({
			async start(controller) {
				controller.enqueue(errorCsvHeader());
				for await (const error of errors) controller.enqueue(errorToCsvLine(error));
				controller.close();
			}
		});
		return new Response(body.pipeThrough(new TextEncoderStream()), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${id}-errors.csv"` }
		});
	}
	const offset = queryInt(event.url, 'offset', 0);
	const limit = queryInt(event.url, 'limit', 100, 1000);
	return app.datasetCatalog.errors(id, offset, limit, event.url.searchParams.get('kind') ?? undefined);
});
