import { apiRoute, json } from '$lib/server/http/api';

/** Queues a `merge` job for an adapter checkpoint; its progress is on the stream `job:<id>`. */
export const POST = apiRoute<{ id: string }>('write', ({ event, app, user }) => json({ job: app.modelMerges.start(event.params.id, user) }, { status: 202 }));
