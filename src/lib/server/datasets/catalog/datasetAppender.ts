import fs from 'node:fs';
import type { SessionUser } from '../../../shared/auth';
import { standardRowSchema, type StandardRow } from '../../../shared/dataset';
import { requireOwnerOrAdmin } from '../../auth/ownership';
import type { DatasetRecord, DatasetsRepository } from '../../db/datasets';
import { newId } from '../../db/ids';
import { HttpError } from '../../http/httpError';
import { datasetPaths, DatasetStore } from '../store';

export type AppendTarget = { datasetId: string } | { newDatasetName: string };

/** Builds rows, storing their media through the dataset's own media store (`media/<sha256>.<ext>`). */
export type RowBuilder = (store: DatasetStore) => Promise<StandardRow[]>;

/**
 * Adds rows to a stored dataset (its owner or an admin only) or to a new one, through the same store an
 * import writes with: rows in `data.jsonl`, media content-addressed under `media/`, the row count in
 * SQLite. Appends to one dataset run one at a time so their row numbers never interleave.
 */
export class DatasetAppender {
	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(
		private readonly repository: DatasetsRepository,
		private readonly dataDir: string
	) {}

	async append(user: SessionUser, target: AppendTarget, build: RowBuilder): Promise<{ dataset: DatasetRecord; firstRow: number; rows: number }> {
		if ('newDatasetName' in target) return this.create(user, target.newDatasetName, build);
		const id = target.datasetId;
		const previous = this.queues.get(id) ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(() => this.appendNow(user, id, build));
		this.queues.set(id, next);
		try {
			return await next;
		} finally {
			if (this.queues.get(id) === next) this.queues.delete(id);
		}
	}

	private async appendNow(user: SessionUser, id: string, build: RowBuilder) {
		const dataset = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? this.repository.get(id) : null;
		if (!dataset) throw new HttpError('not_found', `No dataset "${id}".`);
		requireOwnerOrAdmin({ ownerId: dataset.ownerId, label: `dataset "${dataset.name}"` }, user);
		const store = await DatasetStore.append(this.dataDir, id, dataset.rowCount);
		const rows = await this.writeAll(store, build);
		this.repository.setRowCount(id, dataset.rowCount + rows);
		return { dataset: this.repository.get(id)!, firstRow: dataset.rowCount, rows };
	}

	private async create(user: SessionUser, name: string, build: RowBuilder) {
		const id = newId().replace(/[^A-Za-z0-9_-]/g, '').slice(0, 16);
		const store = await DatasetStore.create(this.dataDir, id);
		let rows: number;
		try {
			rows = await this.writeAll(store, build);
		} catch (error) {
			await fs.promises.rm(datasetPaths(this.dataDir, id).dir, { recursive: true, force: true });
			throw error;
		}
		const record: DatasetRecord = { id, name: name.slice(0, 120), ownerId: user.id, format: 'messages', rowCount: rows, errorCount: 0, stats: null, createdAt: Date.now() };
		this.repository.insert(record);
		return { dataset: this.repository.get(id)!, firstRow: 0, rows };
	}

	private async writeAll(store: DatasetStore, build: RowBuilder): Promise<number> {
		let written = 0;
		try {
			for (const row of await build(store)) {
				// Rows are held to the schema every reader of the dataset expects.
				const checked = standardRowSchema.parse(row);
				await store.writeRow(checked);
				written++;
			}
		} finally {
			await store.close();
		}
		return written;
	}
}
