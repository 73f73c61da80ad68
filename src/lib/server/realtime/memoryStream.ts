import type { StreamEvent } from '../../shared/realtime';

/** What the hub needs from any stream: pages of the events after a sequence number, for replay on (re)subscribe. */
export interface ReplaySource {
	/** At most `limit` events after `afterSeq`, oldest first. */
	replay(afterSeq: number, limit: number): StreamEvent[];
	lastSeq(): number;
}

/**
 * A stream kept in memory: numbers its events and remembers the last `capacity` of them. Right for
 * ephemeral streams (heartbeats); durable streams (run metrics) replay from SQLite instead.
 */
export class MemoryStream implements ReplaySource {
	private readonly ring: StreamEvent[] = [];
	private seq = 0;

	constructor(
		readonly name: string,
		private readonly capacity = 1000
	) {}

	next(type: string, data: unknown): StreamEvent {
		const event: StreamEvent = { stream: this.name, seq: ++this.seq, type, at: Date.now(), data };
		this.ring.push(event);
		if (this.ring.length > this.capacity) this.ring.shift();
		return event;
	}

	lastSeq(): number {
		return this.seq;
	}

	replay(afterSeq: number, limit = this.capacity): StreamEvent[] {
		const first = this.ring.length ? this.ring[0].seq : this.seq + 1;
		const from = Math.max(0, afterSeq + 1 - first);
		return this.ring.slice(from, from + limit);
	}
}
