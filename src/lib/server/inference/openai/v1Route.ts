import type { RequestEvent } from '@sveltejs/kit';
import { requireCapability } from '../../http/api';
import { appContext, type AppContext } from '../../context';
import type { SessionUser } from '../../../shared/auth';
import { OpenAIError } from './openaiError';

/**
 * Wraps an /api/v1 endpoint as `apiRoute` wraps the others, with OpenAI's error shape: the caller
 * (a key's owner, or a session) must hold `chat`; every failure leaves as `{error: {...}}`.
 */
export function v1Route(handler: (ctx: { event: RequestEvent; user: SessionUser; app: AppContext }) => Promise<Response> | Response) {
	return async (event: RequestEvent): Promise<Response> => {
		try {
			const user = requireCapability(event.locals.user, 'chat');
			return await handler({ event, user, app: appContext() });
		} catch (error) {
			return OpenAIError.from(error).toResponse();
		}
	};
}
