import type { JobRecord, JobStatus } from '../../shared/jobs';
import type { Db } from './database';
import { newId } from './ids';

interface JobRow {
	id: string;
	kind: string;
	status: JobStatus;
	device: string;
	assigned_device: string | null;
	slot_count: number;
	payload: string;
	result: string | null;
	error: string | null;
	progress: number;
	queue_position: number;
	user_id: string;
	/** From users, joined on read. */
	user_name?: string | null;
	created_at: number;
	started_at: number | null;
	finished_at: number | null;
}

function toJob(row: JobRow): JobRecord {
	return {
		id: row.id,
		kind: row.kind,
		status: row.status,
		device: row.device,
		assignedDevice: row.assigned_device,
		slotCount: row.slot_count,
		payload: JSON.parse(row.payload),
		result: row.result === null ? null : JSON.parse(row.result),
		error: row.error,
		progress: row.progress,
		createdAt: row.created_at,
		startedAt: row.started_at,
		finishedAt: row.finished_at,
		userId: row.user_id,
		userName: row.user_name ?? null
	};
}

/** Every job read carries its owner's username, for the jobs list. */
const userName = '(SELECT username FROM users WHERE users.id = jobs.user_id) AS user_name';

/** The persistent job queue. Order is `queue_position`, so queued jobs can be reordered cheaply. */
export class JobsRepository {
	constructor(private readonly db: Db) {}

	enqueue(input: { kind: string; payload: unknown; device: string; slotCount?: number; userId: string }): JobRecord {
		const last = this.db.prepare('SELECT MAX(queue_position) AS p FROM jobs').get() as { p: number | null };
		const row: JobRow = {
			id: newId(),
			kind: input.kind,
			status: 'queued',
			device: input.device,
			assigned_device: null,
			slot_count: input.slotCount ?? 1,
			payload: JSON.stringify(input.payload),
			result: null,
			error: null,
			progress: 0,
			queue_position: (last.p ?? 0) + 1,
			user_id: input.userId,
			created_at: Date.now(),
			started_at: null,
			finished_at: null
		};
		this.db
			.prepare(
				`INSERT INTO jobs (id, kind, status, device, assigned_device, slot_count, payload, result, error, progress, queue_position,
				 user_id, created_at, started_at, finished_at)
				 VALUES (@id, @kind, @status, @device, @assigned_device, @slot_count, @payload, @result, @error, @progress, @queue_position,
				 @user_id, @created_at, @started_at, @finished_at)`
			)
			.run(row);
		return this.get(row.id) ?? toJob(row);
	}

	get(id: string): JobRecord | null {
		const row = this.db.prepare(`SELECT *, ${userName} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
		return row ? toJob(row) : null;
	}

	list(limit = 200): JobRecord[] {
		const rows = this.db
			.prepare(
				`SELECT *, ${userName} FROM jobs ORDER BY CASE status WHEN 'running' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END,
				 CASE WHEN status = 'queued' THEN queue_position ELSE -created_at END LIMIT ?`
			)
			.all(limit) as JobRow[];
		return rows.map(toJob);
	}

	/**
	 * Atomically takes the first queued job this slot may run and marks it running, so two slots can
	 * never start the same job.
	 */
	/** The first queued job a slot may run (its own device or `auto`), without taking it. */
	nextFor(slotId: string): JobRecord | null {
		const row = this.db
			.prepare(`SELECT *, ${userName} FROM jobs WHERE status = 'queued' AND (device = 'auto' OR device = ?) ORDER BY queue_position LIMIT 1`)
			.get(slotId) as JobRow | undefined;
		return row ? toJob(row) : null;
	}

	/** Marks a queued job running on a slot; null when it is no longer queued (cancelled meanwhile). */
	claim(jobId: string, slotId: string): JobRecord | null {
		const startedAt = Date.now();
		const changed = this.db.prepare(`UPDATE jobs SET status = 'running', assigned_device = ?, started_at = ? WHERE id = ? AND status = 'queued'`).run(slotId, startedAt, jobId);
		return changed.changes === 1 ? this.get(jobId) : null;
	}

	/** Takes the first queued job a slot may run. */
	claimNext(slotId: string): JobRecord | null {
		const next = this.nextFor(slotId);
		return next && this.claim(next.id, slotId);
	}

	setProgress(id: string, progress: number): void {
		this.db.prepare('UPDATE jobs SET progress = ? WHERE id = ?').run(progress, id);
	}

	finish(id: string, outcome: { status: 'succeeded' | 'failed' | 'cancelled'; result?: unknown; error?: string }): void {
		this.db
			.prepare(`UPDATE jobs SET status = ?, result = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running'`)
			.run(
				outcome.status,
				outcome.result === undefined ? null : JSON.stringify(outcome.result),
				outcome.error ?? null,
				Date.now(),
				id
			);
	}

	/** Cancels a job that has not started. Returns false when it was no longer queued. */
	cancelQueued(id: string): boolean {
		const info = this.db
			.prepare(`UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'`)
			.run(Date.now(), id);
		return info.changes === 1;
	}

	/** Jobs that were running when the server stopped cannot still be running: mark them interrupted. */
	markRunningInterrupted(): number {
		return this.db
			.prepare(`UPDATE jobs SET status = 'interrupted', finished_at = ? WHERE status = 'running'`)
			.run(Date.now()).changes;
	}

	/** Moves a queued job to just before `beforeId` (or to the end when null). */
	reorder(id: string, beforeId: string | null): boolean {
		return this.db
			.transaction(() => {
				const queued = this.db
					.prepare(`SELECT id, queue_position FROM jobs WHERE status = 'queued' ORDER BY queue_position`)
					.all() as { id: string; queue_position: number }[];
				const index = queued.findIndex((j) => j.id === id);
				if (index < 0) return false;
				const others = queued.filter((j) => j.id !== id);
				if (others.length === 0) return true;
				const target = beforeId === null ? others.length : others.findIndex((j) => j.id === beforeId);
				if (target < 0) return false;
				const before = target === 0 ? others[0].queue_position - 1 : others[target - 1].queue_position;
				const after = target === others.length ? before + 2 : others[target].queue_position;
				this.db.prepare('UPDATE jobs SET queue_position = ? WHERE id = ?').run((before + after) / 2, id);
				return true;
			})
			.immediate();
	}
}
