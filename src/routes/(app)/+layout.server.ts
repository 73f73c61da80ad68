import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => {
	// accessHandle already sent strangers to /login; this narrows the type for the pages below.
	if (!locals.user) redirect(303, '/login');
	return { user: locals.user };
}) satisfies LayoutServerLoad;
