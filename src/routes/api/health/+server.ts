import { publicApiRoute } from '$lib/server/http/api';

export const GET = publicApiRoute(({ app }) => ({
	status: 'ok',
	version: app.version,
	uptimeS: Math.round((Date.now() - app.startedAt) / 1000),
	needsSetup: app.auth.needsSetup(),
	devices: app.scheduler.devices()
}));
