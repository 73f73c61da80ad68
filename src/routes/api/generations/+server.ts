import { apiRoute, json, readJsonBody } from '$lib/server/http/api';

/** Starts a generation for the chat page; its tokens arrive on the returned stream `gen:<id>`. */
export const POST = apiRoute('chat', async ({ event, app, user }) => json(await app.generations.start(await readJsonBody(event.request, 'generation'), user), { status: 202 }));
