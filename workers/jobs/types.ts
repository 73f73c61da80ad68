/** What a job runner gets from the device worker that hosts it. */
export interface JobRunContext {
	jobId: string;
	slotId: string;
	/** Set when the user asked the job to stop: finish the current step, save, and return. */
	readonly stopRequested: boolean;
	progress(fraction: number, data?: unknown): void;
	log(line: string): void;
}

export interface JobOutcome {
	/** `stopped` when the runner honoured a stop request before finishing. */
	status: 'succeeded' | 'stopped';
	result?: unknown;
}

export type JobRunner = (payload: unknown, context: JobRunContext) => Promise<JobOutcome>;
