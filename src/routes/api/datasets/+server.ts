import { apiRoute } from '$lib/server/http/api';

/** Uploads arrive at POST /api/datasets through the streaming multipart route (src/server.ts). */
export const GET = apiRoute('read', ({ app }) => ({ datasets: app.datasetCatalog.list().map(({ stats: _stats, ...dataset }) => dataset) }));
