import type { Role, SessionUser } from '../../shared/auth';
import type { Db } from './database';
import { newId } from './ids';

export interface UserRow extends SessionUser {
	createdAt: number;
}

interface UserRecord {
	id: string;
	username: string;
	role: Role;
	password_hash: string;
	created_at: number;
}

function toUser(record: UserRecord): UserRow {
	return { id: record.id, username: record.username, role: record.role, createdAt: record.created_at };
}

export class UsersRepository {
	constructor(private readonly db: Db) {}

	count(): number {
		return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
	}

	list(): UserRow[] {
		const rows = this.db.prepare('SELECT * FROM users ORDER BY created_at, username').all() as UserRecord[];
		return rows.map(toUser);
	}

	get(id: string): UserRow | null {
		const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRecord | undefined;
		return row ? toUser(row) : null;
	}

	/** The user and their password hash, for login only. */
	findCredentials(username: string): { user: UserRow; passwordHash: string } | null {
		const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRecord | undefined;
		return row ? { user: toUser(row), passwordHash: row.password_hash } : null;
	}

	create(input: { username: string; passwordHash: string; role: Role }): UserRow {
		const record: UserRecord = {
			id: newId(),
			username: input.username,
			role: input.role,
			password_hash: input.passwordHash,
			created_at: Date.now()
		};
		this.db
			.prepare(
				'INSERT INTO users (id, username, password_hash, role, created_at) VALUES (@id, @username, @password_hash, @role, @created_at)'
			)
			.run(record);
		return toUser(record);
	}

	/**
	 * Creates the first admin only while no user exists, atomically, so two racing setup requests
	 * cannot both succeed.
	 */
	createFirstAdmin(input: { username: string; passwordHash: string }): UserRow | null {
		return this.db.transaction(() => (this.count() === 0 ? this.create({ ...input, role: 'admin' }) : null)).immediate();
	}

	usernameTaken(username: string): boolean {
		return this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username) !== undefined;
	}

	setRole(id: string, role: Role): void {
		this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
	}

	setPasswordHash(id: string, passwordHash: string): void {
		this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
	}

	countAdmins(): number {
		return (this.db.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
	}
}
