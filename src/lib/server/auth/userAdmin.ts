import type { Role } from '../../shared/auth';
import type { UserRow, UsersRepository } from '../db/users';
import { HttpError } from '../http/httpError';
import type { AuthService } from './authService';

/** What the admin page does to users. Guards against locking everyone out. */
export class UserAdmin {
	constructor(
		private readonly users: UsersRepository,
		private readonly auth: AuthService
	) {}

	list(): UserRow[] {
		return this.users.list();
	}

	async add(input: { username: string; password: string; role: Role }): Promise<UserRow> {
		if (this.users.usernameTaken(input.username)) {
			throw new HttpError('conflict', `The username "${input.username}" is taken.`, { username: 'Taken' });
		}
		return this.users.create({ username: input.username, role: input.role, passwordHash: await this.auth.hash(input.password) });
	}

	async update(id: string, change: { role?: Role; password?: string }, actingUserId: string): Promise<UserRow> {
		const user = this.requireUser(id);
		if (change.role && change.role !== user.role) {
			if (user.role === 'admin' && this.users.countAdmins() === 1) {
				throw new HttpError('conflict', 'This is the last admin; make another admin first.');
			}
			this.users.setRole(id, change.role);
		}
		if (change.password) this.users.setPasswordHash(id, await this.auth.hash(change.password));
		// A changed role or password takes effect at once: other sessions of this user end.
		if (id !== actingUserId) await this.auth.endAllSessions(id);
		return this.requireUser(id);
	}

	async remove(id: string, actingUserId: string): Promise<void> {
		const user = this.requireUser(id);
		if (id === actingUserId) throw new HttpError('conflict', 'You cannot delete your own account.');
		if (user.role === 'admin' && this.users.countAdmins() === 1) {
			throw new HttpError('conflict', 'This is the last admin.');
		}
		try {
			this.users.delete(id);
		} catch (error) {
			if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
				throw new HttpError('conflict', `${user.username} owns jobs, datasets or runs; make them a viewer instead of deleting them.`);
			}
			throw error;
		}
		await this.auth.endAllSessions(id);
	}

	private requireUser(id: string): UserRow {
		const user = this.users.get(id);
		if (!user) throw new HttpError('not_found', `No user with id "${id}".`);
		return user;
	}
}
