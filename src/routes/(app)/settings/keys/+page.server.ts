import { appContext } from '$lib/server/context';
import { requirePageCapability } from '$lib/server/pageGuard';
import type { PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
	const user = requirePageCapability(locals.user, 'chat');
	return { keys: appContext().apiKeys.list(user), baseUrl: `${url.origin}/api/v1` };
}) satisfies PageServerLoad;
