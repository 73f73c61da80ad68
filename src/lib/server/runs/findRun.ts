import type { RunRecord } from '../../shared/run/runRecord';
import { HttpError } from '../http/httpError';
import type { RunService } from './runService';

/** The run with this id, or null when there is none (for pages, which show their own 404). */
export function findRun(runs: RunService, id: string): RunRecord | null {
	try {
		return runs.get(id);
	} catch (error) {
		if (HttpError.is(error) && error.code === 'not_found') return null;
		throw error;
	}
}
