import type { Handle } from '@sveltejs/kit';
import { appContext } from '../context';
import { errorResponse, HttpError } from '../http/httpError';
import { OpenAIError } from '../inference/openai/openaiError';

export const openAiPrefix = '/api/v1/';

/**
 * `Authorization: Bearer <key>` for the OpenAI-compatible API. A request that carries a key is that
 * key's owner and nobody else: the session cookie is ignored, so the Origin-check exemption Bearer
 * requests enjoy can never lend a cookie to another site. Keys act on /api/v1 only; every /api/v1
 * answer, refusals included, has OpenAI's error shape.
 */
export const apiKeyHandle: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	const onV1 = path.startsWith(openAiPrefix);
	const authorization = event.request.headers.get('authorization');
	const bearer = authorization ? /^bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? '' : null;

	if (bearer !== null) {
		event.locals.user = null;
		event.locals.sessionId = null;
		if (!onV1) {
			return errorResponse(new HttpError('unauthenticated', `API keys work on ${openAiPrefix}* only; other routes take the session cookie.`));
		}
		const { apiKeys } = appContext();
		const auth = bearer ? apiKeys.authenticate(bearer) : null;
		if (!auth) return new OpenAIError(401, 'Invalid API key: it is unknown or revoked, or its owner was removed.', null, 'invalid_api_key').toResponse();
		try {
			apiKeys.admit(auth.keyId);
		} catch (error) {
			return OpenAIError.from(error).toResponse();
		}
		event.locals.user = auth.user;
	} else if (onV1 && !event.locals.user) {
		return new OpenAIError(401, 'Send an API key as "Authorization: Bearer <key>"; make one under Settings → API keys.', null, 'invalid_api_key').toResponse();
	}
	return resolve(event);
};
