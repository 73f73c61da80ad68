import type { SessionUser } from '../../shared/auth';
import { roleCan, type Capability } from '../../shared/auth';
import type { ReplaySource } from './memoryStream';

export interface StreamKind {
	/** The part before the colon in a stream name: `run` in `run:42`. */
	kind: string;
	capability: Capability;
	/** The replay source for one resource, or null when it does not exist or this user may not see it. */
	open(id: string, user: SessionUser): ReplaySource | null;
}

/** Maps stream names to their sources and decides who may subscribe. */
export class StreamRegistry {
	private readonly kinds = new Map<string, StreamKind>();

	register(kind: StreamKind): void {
		if (this.kinds.has(kind.kind)) throw new Error(`Stream kind "${kind.kind}" is registered twice`);
		this.kinds.set(kind.kind, kind);
	}

	resolve(
		stream: string,
		user: SessionUser
	): { ok: true; source: ReplaySource } | { ok: false; code: 'not_found' | 'forbidden'; message: string } {
		const colon = stream.indexOf(':');
		const kind = this.kinds.get(stream.slice(0, colon));
		if (!kind) return { ok: false, code: 'not_found', message: `No stream "${stream}".` };
		if (!roleCan(user.role, kind.capability)) {
			return { ok: false, code: 'forbidden', message: `Your role may not follow "${stream}".` };
		}
		const source = kind.open(stream.slice(colon + 1), user);
		return source ? { ok: true, source } : { ok: false, code: 'not_found', message: `No stream "${stream}".` };
	}
}
