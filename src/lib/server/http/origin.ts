import type { IncomingHttpHeaders } from 'node:http';

/** Reads one request header, from node's header object or a fetch `Headers`. */
export type HeaderReader = (name: string) => string | undefined;

export function nodeHeaders(headers: IncomingHttpHeaders): HeaderReader {
	return (name) => {
		const value = headers[name];
		return Array.isArray(value) ? value[0] : value;
	};
}

export function fetchHeaders(headers: Headers): HeaderReader {
	return (name) => headers.get(name) ?? undefined;
}

/** Methods that change state; only these are checked, so links and page loads from other sites still work. */
const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sameOrigin(origin: string, header: HeaderReader, configuredOrigin: string | null): boolean {
	if (configuredOrigin) return origin === configuredOrigin;
	const host = header('x-forwarded-host') ?? header('host');
	if (!host) return false;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}

/**
 * Whether a request's Origin header may act on this server. Browsers send Origin on cross-site
 * requests and on websockets; a request from another site must not ride the user's cookie.
 * Requests without an Origin (scripts, curl) still need a valid session.
 */
export function isAllowedOrigin(headers: IncomingHttpHeaders, configuredOrigin: string | null): boolean {
	const origin = nodeHeaders(headers)('origin');
	return origin === undefined || sameOrigin(origin, nodeHeaders(headers), configuredOrigin);
}

/**
 * The cross-site request check for every state-changing request, whatever its content type: a
 * browser names the page that sent it in Origin, or failing that in Referer or Sec-Fetch-Site, and
 * that page must be this server (or ORIGIN when set). Requests that authenticate with
 * `Authorization: Bearer` carry no ambient credential a foreign page could borrow, so they are
 * exempt; requests with none of these headers come from scripts, not browsers, and pass.
 */
export function isAllowedStateChange(method: string, header: HeaderReader, configuredOrigin: string | null): boolean {
	if (!stateChanging.has(method.toUpperCase())) return true;
	if (/^bearer\s/i.test(header('authorization') ?? '')) return true;
	const origin = header('origin');
	if (origin !== undefined) return sameOrigin(origin, header, configuredOrigin);
	const referer = header('referer');
	if (referer !== undefined) {
		try {
			return sameOrigin(new URL(referer).origin, header, configuredOrigin);
		} catch {
			return false;
		}
	}
	const site = header('sec-fetch-site');
	return site === undefined || site === 'same-origin' || site === 'none';
}

export const crossSiteMessage = 'Requests from another site are refused.';
