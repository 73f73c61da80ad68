import type { StreamEvent } from '$lib/shared/realtime';
import { parseRunEvent } from '$lib/shared/run/runEvents';
import type { RunStatus, TrainMetrics } from '$lib/shared/run/runRecord';

export interface Point {
	x: number;
	y: number;
}

const maxLogLines = 5000;

/**
 * Everything the run page shows that arrives over the run's stream, rebuilt from the event history and
 * then kept current by live events. Series are plain arrays the charts read; `version` ticks when they change.
 */
export class RunStreamState {
	lastSeq = 0;
	version = $state(0);
	status = $state<RunStatus | null>(null);
	latest = $state<TrainMetrics | null>(null);
	logs = $state<string[]>([]);
	checkpoints = $state<{ step: number; name: string }[]>([]);
	error = $state<string | null>(null);
	/** Events on the stream that are not run events (a newer server, a corrupt row): skipped, counted. */
	rejected = 0;
	/** metric name -> points by step; not reactive itself (can hold 100k points), see `version`. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- deliberately not reactive: 100k points, `version` signals changes
	readonly series = new Map<string, Point[]>();

	apply(events: StreamEvent[]): void {
		let changed = false;
		const newLogs: string[] = [];
		for (const event of events) {
			if (event.seq <= this.lastSeq) continue;
			this.lastSeq = event.seq;
			changed = true;
			const run = parseRunEvent(event);
			if (!run) {
				if (this.rejected++ === 0) console.warn(`Skipping a run stream event that is not a run event: ${event.type} #${event.seq}`);
				continue;
			}
			switch (run.type) {
				case 'metrics':
					this.addMetrics(run.data);
					break;
				case 'log':
					newLogs.push(run.data.line);
					break;
				case 'checkpoint':
					this.checkpoints = [...this.checkpoints, run.data];
					break;
				case 'status': {
					const data = run.data;
					this.status = data.status;
					if (data.error) this.error = data.error;
					else if (data.status === 'queued' || data.status === 'running') this.error = null;
					if (data.resumedFromStep !== undefined) this.truncateAfter(data.resumedFromStep);
					break;
				}
			}
		}
		if (newLogs.length) this.logs = [...this.logs, ...newLogs].slice(-maxLogLines);
		if (changed) this.version++;
	}

	points(name: string): Point[] {
		return this.series.get(name) ?? [];
	}

	private addMetrics(metrics: TrainMetrics): void {
		this.latest = metrics;
		for (const [key, value] of Object.entries(metrics)) {
			if (typeof value !== 'number' || key === 'step') continue;
			let points = this.series.get(key);
			if (!points) this.series.set(key, (points = []));
			points.push({ x: metrics.step, y: value });
		}
	}

	/** A resumed run restarts from its checkpoint: points logged after it (before the stop) are replaced. */
	private truncateAfter(step: number): void {
		for (const points of this.series.values()) {
			let keep = points.length;
			while (keep > 0 && points[keep - 1].x > step) keep--;
			points.length = keep;
		}
	}
}
