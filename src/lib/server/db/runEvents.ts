import type { StreamEvent } from '../../shared/realtime';
import type { Db } from './database';

/**
 * The durable event log of every run: metrics, log lines, checkpoints and status changes, numbered
 * per run. It is both the history the run page loads and the replay source after a reconnect.
 */
export class RunEventsRepository {
	private readonly lastSeqs = new Map<string, number>();

	constructor(private readonly db: Db) {}

	/** Appends one event with the next sequence number; committed before it returns. */
	append(runId: string, type: string, data: unknown): StreamEvent {
		const seq = this.lastSeq(runId) + 1;
		const at = Date.now();
		this.db.prepare('INSERT INTO run_events (run_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)').run(runId, seq, type, at, JSON.stringify(data));
		this.lastSeqs.set(runId, seq);
		return { stream: `run:${runId}`, seq, type, at, data };
	}

	lastSeq(runId: string): number {
		let seq = this.lastSeqs.get(runId);
		if (seq === undefined) {
			seq = (this.db.prepare('SELECT MAX(seq) AS seq FROM run_events WHERE run_id = ?').get(runId) as { seq: number | null }).seq ?? 0;
			this.lastSeqs.set(runId, seq);
		}
		return seq;
	}

	/** At most `limit` events after `afterSeq`, oldest first: one page of a replay, never the whole history. */
	page(runId: string, afterSeq: number, limit: number): StreamEvent[] {
		const rows = this.db
			.prepare('SELECT seq, type, at, data FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?')
			.all(runId, afterSeq, limit) as { seq: number; type: string; at: number; data: string }[];
		const stream = `run:${runId}`;
		return rows.map((row) => ({ stream, seq: row.seq, type: row.type, at: row.at, data: JSON.parse(row.data) }));
	}

	forget(runId: string): void {
		this.lastSeqs.delete(runId);
	}
}
