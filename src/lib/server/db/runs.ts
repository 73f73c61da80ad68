import type { RunConfig } from '../../shared/run/runConfig';
import type { RunRecord, RunStatus } from '../../shared/run/runRecord';
import type { Db } from './database';
import { newId } from './ids';

interface RunRow {
	id: string;
	name: string;
	owner_id: string;
	/** From users, joined on read. */
	owner_name?: string | null;
	config: string;
	status: RunStatus;
	job_id: string | null;
	device: string | null;
	step: number;
	max_steps: number | null;
	progress: number;
	remaining_ms: number | null;
	last_checkpoint: string | null;
	error: string | null;
	created_at: number;
	started_at: number | null;
	finished_at: number | null;
}

function toRun(row: RunRow): RunRecord {
	return {
		id: row.id,
		name: row.name,
		ownerId: row.owner_id,
		ownerName: row.owner_name ?? null,
		config: JSON.parse(row.config) as RunConfig,
		status: row.status,
		jobId: row.job_id,
		device: row.device,
		step: row.step,
		maxSteps: row.max_steps,
		progress: row.progress,
		remainingMs: row.remaining_ms,
		lastCheckpoint: row.last_checkpoint,
		error: row.error,
		createdAt: row.created_at,
		startedAt: row.started_at,
		finishedAt: row.finished_at
	};
}

/** Every run read carries its owner's username, for the lists and pages that show who owns what. */
const selectRuns = 'SELECT runs.*, (SELECT username FROM users WHERE users.id = runs.owner_id) AS owner_name FROM runs';

export class RunsRepository {
	constructor(private readonly db: Db) {}

	create(input: { name: string; ownerId: string; config: RunConfig }): RunRecord {
		const row: RunRow = {
			id: newId(),
			name: input.name,
			owner_id: input.ownerId,
			config: JSON.stringify(input.config),
			status: 'queued',
			job_id: null,
			device: null,
			step: 0,
			max_steps: null,
			progress: 0,
			remaining_ms: null,
			last_checkpoint: null,
			error: null,
			created_at: Date.now(),
			started_at: null,
			finished_at: null
		};
		this.db
			.prepare(
				`INSERT INTO runs (id, name, owner_id, config, status, job_id, device, step, max_steps, progress, remaining_ms,
				 last_checkpoint, error, created_at, started_at, finished_at)
				 VALUES (@id, @name, @owner_id, @config, @status, @job_id, @device, @step, @max_steps, @progress, @remaining_ms,
				 @last_checkpoint, @error, @created_at, @started_at, @finished_at)`
			)
			.run(row);
		return this.get(row.id) ?? toRun(row);
	}

	get(id: string): RunRecord | null {
		const row = this.db.prepare(`${selectRuns} WHERE id = ?`).get(id) as RunRow | undefined;
		return row ? toRun(row) : null;
	}

	findByJob(jobId: string): RunRecord | null {
		const row = this.db.prepare(`${selectRuns} WHERE job_id = ?`).get(jobId) as RunRow | undefined;
		return row ? toRun(row) : null;
	}

	list(limit = 500): RunRecord[] {
		return (this.db.prepare(`${selectRuns} ORDER BY created_at DESC LIMIT ?`).all(limit) as RunRow[]).map(toRun);
	}

	attachJob(id: string, jobId: string): void {
		this.db
			.prepare(`UPDATE runs SET job_id = ?, status = 'queued', error = NULL, finished_at = NULL WHERE id = ?`)
			.run(jobId, id);
	}

	markStarted(id: string, device: string): void {
		this.db
			.prepare(`UPDATE runs SET status = 'running', device = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`)
			.run(device, Date.now(), id);
	}

	recordProgress(id: string, progress: { step: number; maxSteps: number | null; remainingMs: number | null }): void {
		const fraction = progress.maxSteps ? Math.min(1, progress.step / progress.maxSteps) : 0;
		this.db
			.prepare('UPDATE runs SET step = ?, max_steps = COALESCE(?, max_steps), progress = ?, remaining_ms = ? WHERE id = ?')
			.run(progress.step, progress.maxSteps, fraction, progress.remainingMs, id);
	}

	setPlan(id: string, maxSteps: number): void {
		this.db.prepare('UPDATE runs SET max_steps = ? WHERE id = ?').run(maxSteps, id);
	}

	setCheckpoint(id: string, path: string | null): void {
		this.db.prepare('UPDATE runs SET last_checkpoint = ? WHERE id = ?').run(path, id);
	}

	finish(id: string, status: Exclude<RunStatus, 'queued' | 'running'>, error: string | null = null): void {
		this.db
			.prepare('UPDATE runs SET status = ?, error = ?, finished_at = ?, remaining_ms = NULL WHERE id = ?')
			.run(status, error, Date.now(), id);
	}

	/** Runs `work` in one transaction: a run and the job that trains it are stored together or not at all. */
	atomically<T>(work: () => T): T {
		return this.db.transaction(work).immediate();
	}

	/**
	 * At start, before any job is dispatched: a run cannot still be running after the server stopped, and a
	 * queued run whose job is missing or finished would wait forever (nothing could stop, resume or delete
	 * it). Both become `interrupted`, which can be resumed or deleted. Returns their ids.
	 */
	markStaleInterrupted(error: (status: RunStatus) => string): { id: string; error: string }[] {
		return this.db.transaction(() => {
			const stale = this.db
				.prepare(
					`SELECT r.id, r.status FROM runs r LEFT JOIN jobs j ON j.id = r.job_id
					 WHERE r.status = 'running' OR (r.status = 'queued' AND (j.id IS NULL OR j.status != 'queued'))`
				)
				.all() as { id: string; status: RunStatus }[];
			const mark = this.db.prepare(`UPDATE runs SET status = 'interrupted', error = ?, finished_at = ? WHERE id = ?`);
			return stale.map((run) => {
				const message = error(run.status);
				mark.run(message, Date.now(), run.id);
				return { id: run.id, error: message };
			});
		})();
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
	}
}
