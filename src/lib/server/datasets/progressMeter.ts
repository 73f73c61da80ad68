import type { ImportProgress } from '../../shared/dataset';

/** Turns a stream of byte counts into progress reports, at most one per step, so callers are not flooded. */
export class ProgressMeter {
	private processed = 0;
	private lastReported = -1;
	private readonly step: number;

	constructor(
		private readonly phase: ImportProgress['phase'],
		private readonly total: number,
		private readonly report?: (progress: ImportProgress) => void
	) {
		this.step = Math.max(1 << 20, Math.floor(total / 200));
	}

	add(bytes: number): void {
		this.processed += bytes;
		if (this.processed - this.lastReported >= this.step) this.flush();
	}

	flush(): void {
		if (!this.report || this.processed === this.lastReported) return;
		this.lastReported = this.processed;
		this.report({ phase: this.phase, bytesProcessed: Math.min(this.processed, this.total), bytesTotal: this.total });
	}

	get bytes(): number {
		return this.processed;
	}
}
