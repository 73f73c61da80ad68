import { apiRoute } from '$lib/server/http/api';
import { mediaFileResponse } from '$lib/server/http/fileResponse';

export const GET = apiRoute<{ token: string; mediaId: string }>('read', ({ event, app }) => {
	const { conversation } = app.chat.shared(event.params.token);
	return mediaFileResponse(app.chat.media.pathOf(app.chat.media.require(event.params.mediaId, conversation.id)), event.request.headers.get('range'));
});
