import { requirePageCapability } from '$lib/server/pageGuard';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePageCapability(locals.user, 'write');
	return {};
}) satisfies PageServerLoad;
