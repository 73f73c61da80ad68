import { mayChange, type SessionUser } from '../../shared/auth';
import { HttpError } from '../http/httpError';

/** Anything a user owns: a dataset, a run, a job. `ownerId` is null for what ships with SwiftBoard. */
export interface OwnedResource {
	ownerId: string | null;
	/** How the refusal names it: `dataset "chat-demo"`, `run "lora-1"`. */
	label: string;
}

/**
 * The server's ownership guard: everyone signed in may read and train on anything, but changing or
 * deleting a resource (rename, split, delete, stop, resume, reorder, cancel) is for its owner or an
 * admin (the rule itself is `mayChange`, shared with the pages). Answers 403 with who may.
 */
export function requireOwnerOrAdmin(resource: OwnedResource, user: SessionUser): void {
	if (mayChange(resource.ownerId, user)) return;
	throw new HttpError(
		'forbidden',
		resource.ownerId === null
			? `Only an admin may change the ${resource.label}, which ships with SwiftBoard.`
			: `Only the owner of the ${resource.label} or an admin may change it.`
	);
}
