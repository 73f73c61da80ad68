import { createConversationSchema } from '$lib/shared/chat/chat';
import { apiRoute, json, readJson } from '$lib/server/http/api';

/** The signed-in user's conversations; `?q=` searches titles and message text. */
export const GET = apiRoute('chat', ({ event, app, user }) => ({ conversations: app.chat.list(user, event.url.searchParams.get('q') ?? undefined) }));

export const POST = apiRoute('chat', async ({ event, app, user }) => {
	const conversation = app.chat.create(user, await readJson(event.request, createConversationSchema));
	return json({ conversation }, { status: 201 });
});
