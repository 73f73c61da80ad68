import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a request's Origin header may act on this server. Browsers send Origin on cross-site
 * requests and on websockets; a request from another site must not ride the user's cookie.
 * Requests without an Origin (scripts, curl) still need a valid session.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, configuredOrigin: string | null): boolean {
	const origin = headers.origin;
	if (!origin) return true;
	if (configuredOrigin) return origin === configuredOrigin;
	const host = headers['x-forwarded-host'] ?? headers.host;
	if (!host) return false;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}
