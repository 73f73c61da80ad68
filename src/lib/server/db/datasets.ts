import type { Db } from './database';

export interface DatasetRecord {
	id: string;
	name: string;
	/** Null for datasets that ship with SwiftBoard. */
	ownerId: string | null;
	/** The owner's username, for display; null for datasets that ship with SwiftBoard. */
	ownerName?: string | null;
	format: string;
	rowCount: number;
	errorCount: number;
	stats: unknown;
	createdAt: number;
}

interface DatasetRow {
	id: string;
	name: string;
	owner_id: string | null;
	owner_name?: string | null;
	format: string;
	row_count: number;
	error_count: number;
	stats: string | null;
	created_at: number;
}

function toDataset(row: DatasetRow): DatasetRecord {
	return {
		id: row.id,
		name: row.name,
		ownerId: row.owner_id,
		ownerName: row.owner_name ?? null,
		format: row.format,
		rowCount: row.row_count,
		errorCount: row.error_count,
		stats: row.stats === null ? null : JSON.parse(row.stats),
		createdAt: row.created_at
	};
}

const selectDatasets = 'SELECT datasets.*, (SELECT username FROM users WHERE users.id = datasets.owner_id) AS owner_name FROM datasets';

export class DatasetsRepository {
	constructor(private readonly db: Db) {}

	list(): DatasetRecord[] {
		return (this.db.prepare(`${selectDatasets} ORDER BY created_at DESC`).all() as DatasetRow[]).map(toDataset);
	}

	get(id: string): DatasetRecord | null {
		const row = this.db.prepare(`${selectDatasets} WHERE id = ?`).get(id) as DatasetRow | undefined;
		return row ? toDataset(row) : null;
	}

	insert(record: DatasetRecord): void {
		this.db
			.prepare(
				`INSERT INTO datasets (id, name, owner_id, format, row_count, error_count, stats, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(record.id, record.name, record.ownerId, record.format, record.rowCount, record.errorCount, JSON.stringify(record.stats ?? null), record.createdAt);
	}

	rename(id: string, name: string): void {
		this.db.prepare('UPDATE datasets SET name = ? WHERE id = ?').run(name, id);
	}

	setStats(id: string, stats: unknown): void {
		this.db.prepare('UPDATE datasets SET stats = ? WHERE id = ?').run(JSON.stringify(stats), id);
	}

	setRowCount(id: string, rowCount: number): void {
		this.db.prepare('UPDATE datasets SET row_count = ? WHERE id = ?').run(rowCount, id);
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id);
	}
}
