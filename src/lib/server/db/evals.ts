import type { EvalHeadline, EvalRecord, EvalStatus } from '../../shared/evalJob';
import type { Db } from './database';

interface EvalRow {
	id: string;
	name: string;
	model_id: string | null;
	model_name: string;
	dataset_id: string | null;
	dataset_name: string;
	run_id: string | null;
	step: number | null;
	status: EvalStatus;
	source: EvalRecord['source'];
	config: string | null;
	job_id: string | null;
	done: number;
	total: number;
	headline: string | null;
	tag_scores: string;
	samples_per_s: number | null;
	error: string | null;
	owner_id: string | null;
	owner_name: string | null;
	created_at: number;
	finished_at: number | null;
}

function toRecord(row: EvalRow): EvalRecord {
	return {
		id: row.id,
		name: row.name,
		modelId: row.model_id,
		modelName: row.model_name,
		datasetId: row.dataset_id,
		datasetName: row.dataset_name,
		runId: row.run_id,
		step: row.step,
		status: row.status,
		source: row.source,
		config: row.config === null ? null : (JSON.parse(row.config) as EvalRecord['config']),
		jobId: row.job_id,
		done: row.done,
		total: row.total,
		headline: row.headline === null ? null : (JSON.parse(row.headline) as EvalHeadline),
		tagScores: JSON.parse(row.tag_scores) as EvalRecord['tagScores'],
		samplesPerSecond: row.samples_per_s,
		error: row.error,
		ownerId: row.owner_id,
		ownerName: row.owner_name,
		createdAt: row.created_at,
		finishedAt: row.finished_at
	};
}

const selectEvals = 'SELECT evals.*, (SELECT username FROM users WHERE users.id = evals.owner_id) AS owner_name FROM evals';

export type NewEval = Pick<EvalRecord, 'id' | 'name' | 'modelId' | 'modelName' | 'datasetId' | 'datasetName' | 'runId' | 'step' | 'status' | 'source' | 'config' | 'ownerId'>;

export interface EvalOutcome {
	status: EvalStatus;
	headline?: EvalHeadline | null;
	tagScores?: EvalRecord['tagScores'];
	samplesPerSecond?: number | null;
	error?: string | null;
	done?: number;
	total?: number;
}

/** The `evals` table: one row per report, SwiftBoard's own or imported. */
export class EvalsRepository {
	constructor(private readonly db: Db) {}

	list(): EvalRecord[] {
		return (this.db.prepare(`${selectEvals} ORDER BY created_at DESC, rowid DESC`).all() as EvalRow[]).map(toRecord);
	}

	get(id: string): EvalRecord | null {
		const row = this.db.prepare(`${selectEvals} WHERE id = ?`).get(id) as EvalRow | undefined;
		return row ? toRecord(row) : null;
	}

	byJob(jobId: string): EvalRecord | null {
		const row = this.db.prepare(`${selectEvals} WHERE job_id = ?`).get(jobId) as EvalRow | undefined;
		return row ? toRecord(row) : null;
	}

	insert(record: NewEval): void {
		this.db
			.prepare(
				`INSERT INTO evals (id, name, model_id, model_name, dataset_id, dataset_name, run_id, step, status, source, config, owner_id, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(record.id, record.name, record.modelId, record.modelName, record.datasetId, record.datasetName, record.runId, record.step, record.status, record.source, record.config === null ? null : JSON.stringify(record.config), record.ownerId, Date.now());
	}

	setJob(id: string, jobId: string): void {
		this.db.prepare('UPDATE evals SET job_id = ? WHERE id = ?').run(jobId, id);
	}

	progress(id: string, done: number, total: number): void {
		this.db.prepare(`UPDATE evals SET done = ?, total = ?, status = CASE WHEN status = 'queued' THEN 'running' ELSE status END WHERE id = ?`).run(done, total, id);
	}

	finish(id: string, outcome: EvalOutcome): void {
		const current = this.get(id);
		if (!current) return;
		this.db
			.prepare('UPDATE evals SET status = ?, headline = ?, tag_scores = ?, samples_per_s = ?, error = ?, done = ?, total = ?, finished_at = ? WHERE id = ?')
			.run(
				outcome.status,
				outcome.headline ? JSON.stringify(outcome.headline) : null,
				JSON.stringify(outcome.tagScores ?? {}),
				outcome.samplesPerSecond ?? null,
				outcome.error ?? null,
				outcome.done ?? current.done,
				outcome.total ?? current.total,
				Date.now(),
				id
			);
	}

	/** Marks evals left queued or running by a stopped server; their jobs are gone. */
	markUnfinishedFailed(): number {
		return this.db.prepare(`UPDATE evals SET status = 'failed', error = 'The server stopped while this eval ran.', finished_at = ? WHERE status IN ('queued', 'running') AND (job_id IS NULL OR job_id NOT IN (SELECT id FROM jobs WHERE status IN ('queued', 'running')))`).run(Date.now()).changes;
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM evals WHERE id = ?').run(id);
	}
}
