import { appContext } from '$lib/server/context';
import { requirePageCapability } from '$lib/server/pageGuard';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	requirePageCapability(locals.user, 'admin');
	const app = appContext();
	return { users: app.userAdmin.list(), devices: app.scheduler.devices() };
}) satisfies PageServerLoad;
