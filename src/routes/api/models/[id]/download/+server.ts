import { apiRoute } from '$lib/server/http/api';
import { zipModelFolder } from '$lib/server/models/modelDownload';

/** The model's folder as a zip, streamed as it is written. */
export const GET = apiRoute<{ id: string }>('read', ({ event, app }) => zipModelFolder(app.models, event.params.id));
