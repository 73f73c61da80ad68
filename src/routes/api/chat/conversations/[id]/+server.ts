import { updateConversationSchema } from '$lib/shared/chat/chat';
import { apiRoute, readJson } from '$lib/server/http/api';

export const GET = apiRoute<{ id: string }>('chat', ({ event, app, user }) => app.chat.detail(user, event.params.id));

/** Rename, change the system prompt or model, show another branch, share or stop sharing. */
export const PATCH = apiRoute<{ id: string }>('chat', async ({ event, app, user }) => ({
	conversation: app.chat.update(user, event.params.id, await readJson(event.request, updateConversationSchema))
}));

export const DELETE = apiRoute<{ id: string }>('chat', async ({ event, app, user }) => {
	await app.chat.delete(user, event.params.id);
	return { ok: true };
});
