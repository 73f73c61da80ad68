import type { StreamEvent } from '../realtime';
import { withoutServerPaths } from '../jobs';
import type { RunRecord } from './runRecord';

/**
 * The server records where a run's checkpoints lie on its disk; answers and stream events show only
 * what a viewer needs: the checkpoint's folder name inside the run (`checkpoint-20`), which is also how
 * ms-swift and the model registry name it. Every run, checkpoint and run event leaves through these.
 */

/** `…/runs/<id>/checkpoint-20` -> `checkpoint-20`. */
export function checkpointName(checkpointPath: string): string {
	return checkpointPath.split(/[\\/]/).filter(Boolean).at(-1) ?? '';
}

/** A run as the API, the pages and the `runs:all` stream show it. */
export function toPublicRun<T extends Pick<RunRecord, 'lastCheckpoint' | 'error'>>(run: T): T {
	return {
		...run,
		lastCheckpoint: run.lastCheckpoint === null ? null : checkpointName(run.lastCheckpoint),
		error: run.error === null ? null : (withoutServerPaths(run.error) as string)
	};
}

export interface PublicCheckpoint {
	step: number;
	/** The folder name inside the run, e.g. `checkpoint-20`. */
	name: string;
	createdAt: number;
	files: { name: string; bytes: number }[];
	complete: boolean;
}

/** A checkpoint on disk as the API and the run page show it. */
export function toPublicCheckpoint({ path, ...rest }: PublicCheckpointSource): PublicCheckpoint {
	return { ...rest, name: checkpointName(path) };
}
type PublicCheckpointSource = Omit<PublicCheckpoint, 'name'> & { path: string };

const scrub = (text: string) => withoutServerPaths(text) as string;

/**
 * A `run:<id>` event as it is stored and as viewers get it: a checkpoint by its name (events stored
 * before names replaced paths carry `path`), and paths in log lines and errors cut to their last part.
 */
export function toPublicRunEvent(event: StreamEvent): StreamEvent {
	const data = event.data as Record<string, unknown> | null;
	if (typeof data !== 'object' || data === null) return event;
	switch (event.type) {
		case 'metrics':
			return event;
		case 'checkpoint': {
			if (typeof data.path !== 'string') return event;
			const { path, ...rest } = data;
			return { ...event, data: { ...rest, name: checkpointName(path) } };
		}
		case 'log':
			return typeof data.line === 'string' ? { ...event, data: { ...data, line: scrub(data.line) } } : event;
		case 'status':
			return typeof data.error === 'string' ? { ...event, data: { ...data, error: scrub(data.error) } } : event;
		default:
			return { ...event, data: withoutServerPaths(data) };
	}
}
