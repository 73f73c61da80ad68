import { apiRoute } from '$lib/server/http/api';
import { mediaFileResponse } from '$lib/server/http/fileResponse';

export const GET = apiRoute<{ id: string; mediaId: string }>('chat', ({ event, app, user }) => {
	app.chat.require(user, event.params.id);
	return mediaFileResponse(app.chat.media.pathOf(app.chat.media.require(event.params.mediaId, event.params.id)), event.request.headers.get('range'));
});
