import { apiRoute } from '$lib/server/http/api';

export const GET = apiRoute('read', ({ user }) => ({ user }));
