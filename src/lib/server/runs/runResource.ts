import type { RunRecord } from '../../shared/run/runRecord';
import type { OwnedResource } from '../auth/ownership';

/** A run as the ownership rule sees it. */
export function runResource(run: RunRecord): OwnedResource {
	return { ownerId: run.ownerId, label: `run "${run.name}"` };
}
