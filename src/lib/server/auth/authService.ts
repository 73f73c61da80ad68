import type { Cookie } from 'lucia';
import type { Credentials, Role, SessionUser } from '../../shared/auth';
import type { UsersRepository } from '../db/users';
import { HttpError } from '../http/httpError';
import type { AppLucia } from './lucia';
import { LoginRateLimiter } from './loginRateLimiter';
import { decoyPasswordHash, hashPassword, verifyPassword } from './password';

export interface SignedIn {
	user: SessionUser;
	cookie: Cookie;
}

/** Sign-up of the first admin, sign-in, sign-out and session validation. */
export class AuthService {
	private readonly limiter = new LoginRateLimiter();

	constructor(
		private readonly lucia: AppLucia,
		private readonly users: UsersRepository
	) {}

	get cookieName(): string {
		return this.lucia.sessionCookieName;
	}

	needsSetup(): boolean {
		return this.users.count() === 0;
	}

	async setup(credentials: Credentials): Promise<SignedIn> {
		const passwordHash = await hashPassword(credentials.password);
		const user = this.users.createFirstAdmin({ username: credentials.username, passwordHash });
		if (!user) throw new HttpError('conflict', 'SwiftBoard is already set up; sign in instead.');
		return this.startSession(user);
	}

	async login(credentials: Credentials, clientAddress: string): Promise<SignedIn> {
		const wait = this.limiter.retryAfterMs(clientAddress, credentials.username);
		if (wait > 0) {
			const seconds = Math.ceil(wait / 1000);
			throw new HttpError('rate_limited', `Too many failed sign-ins from your address. Try again in ${seconds} s.`, undefined, {
				'retry-after': String(seconds)
			});
		}
		const found = this.users.findCredentials(credentials.username);
		const ok = found
			? await verifyPassword(found.passwordHash, credentials.password)
			: (await verifyPassword(await decoyPasswordHash(), credentials.password), false);
		if (!found || !ok) {
			this.limiter.recordFailure(clientAddress, credentials.username);
			throw new HttpError('unauthenticated', 'Wrong username or password.');
		}
		this.limiter.recordSuccess(clientAddress, credentials.username);
		return this.startSession(found.user);
	}

	async logout(sessionId: string): Promise<Cookie> {
		await this.lucia.invalidateSession(sessionId);
		return this.lucia.createBlankSessionCookie();
	}

	/** The signed-in user for a session id, and a refreshed cookie when lucia extended the session. */
	async validate(sessionId: string): Promise<{ user: SessionUser | null; refreshedCookie: Cookie | null }> {
		const { session, user } = await this.lucia.validateSession(sessionId);
		if (!session) return { user: null, refreshedCookie: null };
		return {
			user: { id: user.id, username: user.username, role: user.role },
			refreshedCookie: session.fresh ? this.lucia.createSessionCookie(session.id) : null
		};
	}

	readSessionId(cookieHeader: string | undefined): string | null {
		return cookieHeader ? this.lucia.readSessionCookie(cookieHeader) : null;
	}

	blankCookie(): Cookie {
		return this.lucia.createBlankSessionCookie();
	}

	/** Signs a user out everywhere: after a password reset or a role change. */
	async endAllSessions(userId: string): Promise<void> {
		await this.lucia.invalidateUserSessions(userId);
	}

	async hash(password: string): Promise<string> {
		return hashPassword(password);
	}

	private async startSession(user: { id: string; username: string; role: Role }): Promise<SignedIn> {
		const session = await this.lucia.createSession(user.id, {});
		return {
			user: { id: user.id, username: user.username, role: user.role },
			cookie: this.lucia.createSessionCookie(session.id)
		};
	}
}
