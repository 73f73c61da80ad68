import { apiRoute } from '$lib/server/http/api';

export const DELETE = apiRoute<{ id: string }>('chat', ({ event, app, user }) => ({ key: app.apiKeys.revoke(user, event.params.id) }));
