import { apiRoute } from '$lib/server/http/api';

/** A conversation its owner shared: read-only, for anyone signed in who has the link. */
export const GET = apiRoute<{ token: string }>('read', ({ event, app }) => app.chat.shared(event.params.token));
