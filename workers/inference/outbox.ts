import type { InferenceWorkerEvent, InferenceWorkerMessage } from '../../src/lib/shared/inferenceProtocol';

/**
 * Least time between two messages of plain deltas. Each message wakes the server's main thread, and
 * on a virtual machine waking an idle core costs the sender 25-75 microseconds, a tenth of a small
 * model's decoding step. 10 ms is one update per frame or less for a reader, so tokens faster than
 * that travel several to a message, and slower ones each at once.
 */
export const DELTA_INTERVAL_MS = 10;

/** Whether an event goes without waiting: a first token (time to first token), an end, a change of state. */
function urgent(event: InferenceWorkerEvent): boolean {
	return event.type !== 'delta' || event.promptTokens !== undefined;
}

/**
 * The worker's outgoing events, posted as one message per turn of its loop; plain deltas wait for
 * the next message while the last went less than DELTA_INTERVAL_MS ago.
 */
export class Outbox {
	private events: InferenceWorkerEvent[] = [];
	private queued = false;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private sentAt = -Infinity;

	constructor(private readonly send: (message: InferenceWorkerMessage) => void) {}

	post(event: InferenceWorkerEvent): void {
		this.events.push(event);
		if (this.queued) return;
		const wait = this.sentAt + DELTA_INTERVAL_MS - performance.now();
		if (wait <= 0 || urgent(event)) {
			this.queued = true;
			queueMicrotask(() => this.flush());
		} else this.timer ??= setTimeout(() => this.flush(), wait);
	}

	private flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		this.queued = false;
		if (this.events.length === 0) return;
		this.sentAt = performance.now();
		const events = this.events;
		this.events = [];
		this.send(events);
	}
}
