import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations';

export type Db = Database.Database;

/** Opens (creating if needed) the SQLite database in WAL mode and brings its schema up to date. */
export function openDatabase(file: string): Db {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const db = new Database(file);
	db.pragma('journal_mode = WAL');
	// NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
	db.pragma('synchronous = NORMAL');
	db.pragma('foreign_keys = ON');
	db.pragma('busy_timeout = 5000');
	migrate(db);
	return db;
}

export function migrate(db: Db): void {
	const current = db.pragma('user_version', { simple: true }) as number;
	if (current > migrations.length) {
		throw new Error(
			`The database schema (version ${current}) is newer than this SwiftBoard (knows ${migrations.length}); upgrade SwiftBoard.`
		);
	}
	for (let version = current; version < migrations.length; version++) {
		db.transaction(() => {
			db.exec(migrations[version]);
			db.pragma(`user_version = ${version + 1}`);
		})();
	}
}
