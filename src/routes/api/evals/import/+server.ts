import { HttpError } from '$lib/server/http/httpError';
import { apiRoute } from '$lib/server/http/api';

/**
 * The multipart import itself is served by the upload middleware (src/lib/server/eval/evalImportRoute.ts)
 * ahead of SvelteKit; a request that reaches this handler was not multipart.
 */
export const POST = apiRoute('write', () => {
	throw new HttpError('invalid_request', 'Send EvalScope report files (.json) or an ms-swift eval_result.jsonl as multipart/form-data.');
});
