import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

/**
 * Queues `swift export` of a model: `{merge_lora?, quant_method?, quant_bits?, calibration_dataset?}`; 202
 * `{job}`, whose progress is on the stream `job:<id>`. The output folder is the server's, never the client's.
 */
export const POST = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	const body = await readJsonBody(event.request, 'swift export request');
	return json({ job: app.swiftExports.start(event.params.id, body, user) }, { status: 202 });
});
