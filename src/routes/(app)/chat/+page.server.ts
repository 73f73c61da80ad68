import { appContext } from '$lib/server/context';
import { requirePageCapability } from '$lib/server/pageGuard';
import { mayChange, roleCan } from '$lib/shared/auth';
import type { PageServerLoad } from './$types';

export const load = (({ locals }) => {
	const user = requirePageCapability(locals.user, 'chat');
	const app = appContext();
	return {
		// Every model that can answer (built-in and registered endpoints), each with the media it accepts.
		models: app.inference
			.models()
			.filter((m) => m.servable)
			.map((m) => ({ id: m.id, name: m.name, modalities: m.modalities, engine: m.engine })),
		// Datasets the user may add rows to (writers only).
		datasets: roleCan(user.role, 'write') ? app.datasets.list().filter((d) => mayChange(d.ownerId, user)).map((d) => ({ id: d.id, name: d.name })) : [],
		maxUploadBytes: app.config.maxUploadBytes
	};
}) satisfies PageServerLoad;
