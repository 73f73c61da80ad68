import { readJsonBody } from '$lib/server/http/api';
import { chatCompletion } from '$lib/server/inference/openai/chatCompletion';
import { apiMediaDir } from '$lib/server/inference/openai/requestMedia';
import { v1Route } from '$lib/server/inference/openai/v1Route';

export const POST = v1Route(async ({ event, user, app }) =>
	chatCompletion(await readJsonBody(event.request), event.request.signal, {
		backend: app.inference,
		user,
		locateUpload: (id) => app.uploads.locate(id, user.id),
		maxMediaBytes: app.config.apiMediaBytes,
		tmpRoot: apiMediaDir(app.config.dataDir)
	})
);
