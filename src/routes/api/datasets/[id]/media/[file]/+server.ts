import { apiRoute } from '$lib/server/http/api';
import { mediaFileResponse } from '$lib/server/http/fileResponse';

/** A stored media file, with byte ranges so audio and video players can seek. */
export const GET = apiRoute<{ id: string; file: string }>('read', ({ event, app }) =>
	mediaFileResponse(app.datasetCatalog.mediaFile(event.params.id, event.params.file), event.request.headers.get('range')));
