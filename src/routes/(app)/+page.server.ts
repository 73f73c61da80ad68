import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

// The console opens on the first step of the workflow: the data.
export const load = (() => redirect(303, '/datasets')) satisfies PageServerLoad;
