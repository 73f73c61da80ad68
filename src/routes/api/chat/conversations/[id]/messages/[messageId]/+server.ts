import { feedbackSchema } from '$lib/shared/chat/chat';
import { apiRoute, readJson } from '$lib/server/http/api';

/** Thumbs up/down, or the answer rewritten into the ideal one. */
export const PATCH = apiRoute<{ id: string; messageId: string }>('chat', async ({ event, app, user }) => ({
	message: app.chat.feedback(user, event.params.id, event.params.messageId, await readJson(event.request, feedbackSchema))
}));
