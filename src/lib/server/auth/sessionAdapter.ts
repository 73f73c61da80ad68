import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { SessionsRepository } from '../db/sessions';
import type { UsersRepository } from '../db/users';
import type { SessionEvents } from './sessionEvents';

/**
 * lucia's storage interface, implemented over the project's own session and user repositories. Every
 * way a session ends (sign-out, expiry, a user's sessions ended by an admin) passes through the two
 * delete methods, which announce it on `events`.
 */
export class SessionAdapter implements Adapter {
	constructor(
		private readonly sessions: SessionsRepository,
		private readonly users: UsersRepository,
		private readonly events?: SessionEvents
	) {}

	async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
		const session = this.sessions.get(sessionId);
		if (!session) return [null, null];
		const user = this.users.get(session.userId);
		if (!user) return [null, null];
		return [
			{ id: session.id, userId: session.userId, expiresAt: session.expiresAt, attributes: {} },
			{ id: user.id, attributes: { username: user.username, role: user.role } }
		];
	}

	async getUserSessions(userId: string): Promise<DatabaseSession[]> {
		return this.sessions.listForUser(userId).map((s) => ({ ...s, attributes: {} }));
	}

	async setSession(session: DatabaseSession): Promise<void> {
		this.sessions.insert({ id: session.id, userId: session.userId, expiresAt: session.expiresAt });
	}

	async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
		this.sessions.setExpiry(sessionId, expiresAt);
	}

	async deleteSession(sessionId: string): Promise<void> {
		this.sessions.delete(sessionId);
		this.events?.emit('ended', { sessionId });
	}

	async deleteUserSessions(userId: string): Promise<void> {
		this.sessions.deleteForUser(userId);
		this.events?.emit('ended', { userId });
	}

	async deleteExpiredSessions(): Promise<void> {
		this.sessions.deleteExpired();
	}
}
