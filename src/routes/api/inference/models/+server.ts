import { apiRoute } from '$lib/server/http/api';

/** Every model and whether it can answer (presets cannot), with the execution provider serving it. */
export const GET = apiRoute('chat', ({ app }) => ({ models: app.inference.models() }));
