import { requirePageCapability } from '$lib/server/pageGuard';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePageCapability(locals.user, 'chat');
	return {};
}) satisfies PageServerLoad;
