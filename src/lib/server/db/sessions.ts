import type { Db } from './database';

export interface SessionRecord {
	id: string;
	userId: string;
	expiresAt: Date;
}

/** Session rows; lucia's adapter is a thin layer over this. */
export class SessionsRepository {
	constructor(private readonly db: Db) {}

	get(id: string): SessionRecord | null {
		const row = this.db.prepare('SELECT id, user_id, expires_at FROM sessions WHERE id = ?').get(id) as
			| { id: string; user_id: string; expires_at: number }
			| undefined;
		return row ? { id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at) } : null;
	}

	listForUser(userId: string): SessionRecord[] {
		const rows = this.db.prepare('SELECT id, user_id, expires_at FROM sessions WHERE user_id = ?').all(userId) as {
			id: string;
			user_id: string;
			expires_at: number;
		}[];
		return rows.map((row) => ({ id: row.id, userId: row.user_id, expiresAt: new Date(row.expires_at) }));
	}

	insert(session: SessionRecord): void {
		this.db
			.prepare('INSERT INTO sessions (id, user_id, expires_at) VALUES (?, ?, ?)')
			.run(session.id, session.userId, session.expiresAt.getTime());
	}

	setExpiry(id: string, expiresAt: Date): void {
		this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt.getTime(), id);
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
	}

	deleteForUser(userId: string): void {
		this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
	}

	deleteExpired(now = Date.now()): void {
		this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
	}
}
