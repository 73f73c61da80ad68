import { Lucia, TimeSpan } from 'lucia';
import type { Role } from '../../shared/auth';
import type { SessionAdapter } from './sessionAdapter';

export const sessionCookieName = 'swiftboard_session';

export function createLucia(adapter: SessionAdapter) {
	return new Lucia(adapter, {
		sessionExpiresIn: new TimeSpan(30, 'd'),
		sessionCookie: {
			name: sessionCookieName,
			// `secure` is decided per request from the request's scheme (see setSessionCookie).
			attributes: { sameSite: 'lax', secure: false }
		},
		getUserAttributes: (attributes) => ({ username: attributes.username, role: attributes.role })
	});
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module 'lucia' {
	interface Register {
		Lucia: AppLucia;
		DatabaseUserAttributes: { username: string; role: Role };
	}
}
