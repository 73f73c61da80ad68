import { apiRoute, json } from '$lib/server/http/api';

/** The model's current ONNX export ({export: null} when there is none for its files as they are). */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const info = app.modelExports.info(event.params.id);
	if (!info) return { export: null };
	const { dir: _dir, ...rest } = info;
	return { export: rest };
});

/** Exports the model to ONNX (fp32 and int8) as a job on `job:<id>`; answers the export when it exists. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app, user }) => {
	const result = app.modelExports.request(event.params.id, user);
	return json(result, { status: result.job ? 202 : 200 });
});
