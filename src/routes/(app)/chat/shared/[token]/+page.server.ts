import { error } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { HttpError } from '$lib/server/http/httpError';
import { requirePageCapability } from '$lib/server/pageGuard';
import type { PageServerLoad } from './$types';

export const load = (({ locals, params }) => {
	requirePageCapability(locals.user, 'read');
	const app = appContext();
	try {
		const detail = app.chat.shared(params.token);
		const names = new Map(app.models.list().map((m) => [m.id, m.name]));
		return { detail, modelNames: Object.fromEntries(detail.messages.filter((m) => m.modelId).map((m) => [m.modelId!, names.get(m.modelId!) ?? m.modelId!])) };
	} catch (e) {
		if (HttpError.is(e)) error(e.status, { code: e.code, message: e.message });
		throw e;
	}
}) satisfies PageServerLoad;
