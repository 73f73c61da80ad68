import type { Cookies } from '@sveltejs/kit';
import type { Cookie } from 'lucia';

/**
 * Writes a lucia cookie. HttpOnly and SameSite=Lax always; Secure whenever the request came over https
 * (directly, or through a proxy named by ORIGIN), so the same build works on a laptop and behind TLS.
 */
export function setSessionCookie(event: { cookies: Cookies; url: URL }, cookie: Cookie): void {
	event.cookies.set(cookie.name, cookie.value, {
		...cookie.attributes,
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
}
