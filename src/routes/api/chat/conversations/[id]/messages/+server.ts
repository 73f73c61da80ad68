import { addMessageSchema } from '$lib/shared/chat/chat';
import { apiRoute, json, readJson } from '$lib/server/http/api';

/** A user turn (new or edited, with uploads to claim) or an answer (new or regenerated). */
export const POST = apiRoute<{ id: string }>('chat', async ({ event, app, user }) => {
	const message = await app.chat.addMessage(user, event.params.id, await readJson(event.request, addMessageSchema));
	return json({ message }, { status: 201 });
});
