import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import type { SessionsRepository } from '../db/sessions';
import type { UsersRepository } from '../db/users';

/** lucia's storage interface, implemented over the project's own session and user repositories. */
export class SessionAdapter implements Adapter {
	constructor(
		private readonly sessions: SessionsRepository,
		private readonly users: UsersRepository
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
	}

	async deleteUserSessions(userId: string): Promise<void> {
		this.sessions.deleteForUser(userId);
	}

	async deleteExpiredSessions(): Promise<void> {
		this.sessions.deleteExpired();
	}
}
