import { apiRoute } from '$lib/server/http/api';

/** The registry's models, and the engines this server trains with (ms-swift's executable and version). */
export const GET = apiRoute('read', ({ app }) => ({ models: app.models.list(), engines: { swift: app.swift.info() } }));
