import { HttpError } from '../http/httpError';

interface Waiter {
	grant(): void;
	abandon(): void;
}

/**
 * Admission to the inference worker: at most `running` requests at once, the rest waiting in one
 * queue per user served round-robin (a user with fifty requests waits behind nobody else's one),
 * and at most `maxQueued` waiting in all; past that a request is refused with 429.
 */
export class FairQueue {
	private readonly queues = new Map<string, Waiter[]>();
	/** Users in round-robin order; the first is served next. */
	private readonly turn: string[] = [];
	private runningNow = 0;
	private queuedNow = 0;

	constructor(
		private readonly running: number,
		private readonly maxQueued: number
	) {}

	get active(): number {
		return this.runningNow;
	}

	get queued(): number {
		return this.queuedNow;
	}

	/**
	 * Resolves with a release function once the request may run. An abort while waiting takes it out of
	 * the queue and rejects with the signal's reason.
	 */
	acquire(userId: string, signal?: AbortSignal): Promise<() => void> {
		if (this.runningNow < this.running && this.queuedNow === 0) return Promise.resolve(this.grant());
		if (this.queuedNow >= this.maxQueued) {
			return Promise.reject(new HttpError('rate_limited', `The model server is busy: ${this.queuedNow} requests are waiting. Try again shortly.`, undefined, { 'retry-after': '2' }));
		}
		return new Promise((resolve, reject) => {
			const waiter: Waiter = {
				grant: () => resolve(this.grant()),
				abandon: () => reject(signal?.reason ?? new Error('cancelled'))
			};
			let queue = this.queues.get(userId);
			if (!queue) {
				queue = [];
				this.queues.set(userId, queue);
				this.turn.push(userId);
			}
			queue.push(waiter);
			this.queuedNow++;
			signal?.addEventListener(
				'abort',
				() => {
					const q = this.queues.get(userId);
					const at = q?.indexOf(waiter) ?? -1;
					if (!q || at < 0) return;
					q.splice(at, 1);
					this.queuedNow--;
					if (q.length === 0) this.dropUser(userId);
					waiter.abandon();
				},
				{ once: true }
			);
		});
	}

	private grant(): () => void {
		this.runningNow++;
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.runningNow--;
			this.next();
		};
	}

	private next(): void {
		while (this.runningNow < this.running && this.turn.length > 0) {
			const userId = this.turn.shift() as string;
			const queue = this.queues.get(userId) as Waiter[];
			const waiter = queue.shift() as Waiter;
			this.queuedNow--;
			if (queue.length > 0) this.turn.push(userId);
			else this.queues.delete(userId);
			waiter.grant();
		}
	}

	private dropUser(userId: string): void {
		this.queues.delete(userId);
		const at = this.turn.indexOf(userId);
		if (at >= 0) this.turn.splice(at, 1);
	}
}
