import { HttpError } from '$lib/server/http/httpError';
import { apiRoute } from '$lib/server/http/api';

/**
 * The multipart import itself is served by the upload middleware (src/lib/server/models/modelImportRoute.ts)
 * ahead of SvelteKit; a request that reaches this handler was not multipart.
 */
export const POST = apiRoute('write', () => {
	throw new HttpError('invalid_request', 'Send the model as multipart/form-data: a zip of its folder, or its files.');
});
