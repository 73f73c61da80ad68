import { apiRoute } from '$lib/server/http/api';
import { HttpError } from '$lib/server/http/httpError';
import { zipFolder } from '$lib/server/models/modelDownload';

/** The model's ONNX export folder as a zip. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => {
	const info = app.modelExports.info(event.params.id);
	if (!info) throw new HttpError('not_found', `Model "${event.params.id}" has no ONNX export yet: export it first (POST /api/models/${event.params.id}/export).`);
	return zipFolder(info.dir, `${app.models.get(event.params.id).name}-onnx`);
});
