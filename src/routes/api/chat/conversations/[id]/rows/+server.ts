import { saveRowSchema } from '$lib/shared/chat/chat';
import { apiRoute, json, readJson } from '$lib/server/http/api';

/** Saves an answer as an SFT row or a DPO pair into a dataset: writing datasets needs write access. */
export const POST = apiRoute<{ id: string }>('write', async ({ event, app, user }) => {
	const saved = await app.chatFeedback.save(user, event.params.id, await readJson(event.request, saveRowSchema));
	return json(saved, { status: 201 });
});
